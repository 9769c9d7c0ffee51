using System.Text.Json.Nodes;
using Zoo.Models.Torch;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.FineTune.Tests.Normalization;

public class BatchRenormalizationTests
{
    // Batch of 4 samples, 2 channels. Channel 0: mean 2.5, biased variance 1.25; channel 1: mean 0, variance 6.5.
    private static readonly float[] X = [1, -2, 2, 3, 3, -3, 4, 2];
    private const double Eps = 1e-3;

    private static BatchNormalizationLowering Make(string clipping, float[] movingMean, float[] movingVar, float[] movingStd, float[] renormMean, float[] renormStd)
    {
        var config = (JsonObject)JsonNode.Parse($"{{\"name\": \"bn\", \"axis\": -1, \"momentum\": 0.9, \"epsilon\": {Eps}, \"renorm\": true, \"renorm_clipping\": {clipping}, \"renorm_momentum\": 0.5}}")!;
        var layer = new BatchNormalizationLowering((BatchNormalizationSpec)LayerSpecs.Read(new LayerNode("BatchNormalization", "bn", config)));
        layer.Build([[4, 2]]);
        layer.Load([tensor(new float[] { 1.5f, -0.5f }), tensor(new float[] { 0.25f, 1f }), tensor(movingMean), tensor(movingVar), tensor(movingStd), tensor(renormMean), tensor(renormStd)]);
        return layer;
    }

    // One call as the executor makes it: a training step of a trainable layer, or a prediction.
    private static Tensor Call(BatchNormalizationLowering layer, Tensor x, bool training)
        => layer.Forward([x], [null], new CallContext(training)).Outputs[0];

    [Fact]
    public void Renorm_spec_reads_tf_keras_config_and_expects_the_three_extra_statistics_in_tf_keras_order()
    {
        var node = new LayerNode("BatchNormalization", "bn", (JsonObject)JsonNode.Parse("{\"renorm\": true, \"renorm_clipping\": {\"rmax\": 2, \"dmax\": 1}, \"renorm_momentum\": 0.7, \"momentum\": 0.8}")!);
        var spec = (BatchNormalizationSpec)LayerSpecs.Read(node);
        Assert.Equal(new RenormClipping(null, 2, 1), spec.Clipping);
        Assert.Equal(0.7, spec.RenormMomentum);
        Assert.Equal(0.8, spec.Momentum);
        Assert.Equal(new[] { "gamma", "beta", "moving_mean", "moving_variance", "moving_stddev", "renorm_mean", "renorm_stddev" },
            spec.Weights([[1, 3]]).Select(w => w.Name));
        var bad = new LayerNode("BatchNormalization", "bn", (JsonObject)JsonNode.Parse("{\"renorm\": true, \"renorm_clipping\": {\"rmax\": 2, \"zmax\": 1}}")!);
        Assert.Throws<Zoo.Formats.ModelFormatException>(() => LayerSpecs.Read(bad));
    }

    [Fact]
    public void A_training_step_clips_r_and_d_and_scales_the_batch_normalized_output_by_them()
    {
        var layer = Make("{\"rmax\": 1.5, \"rmin\": 0.8, \"dmax\": 0.3}", [0, 0], [1, 1], [1, 1], [2f, 0.5f], [2f, 1f]);
        var y = Call(layer, tensor(X, [4, 2]), training: true).data<float>().ToArray();
        double[] mean = [2.5, 0], variance = [1.25, 6.5];
        double[] sd = variance.Select(v => Math.Sqrt(v + Eps)).ToArray();
        // Unclipped r = σ_B / renorm_stddev = [0.559, 2.550], d = (μ_B − renorm_mean)/renorm_stddev = [0.25, −0.5].
        double[] r = [0.8, 1.5], d = [0.25, -0.3];
        var (lr, ld) = layer.LastCorrections!.Value;
        for (int c = 0; c < 2; c++) { Assert.Equal(r[c], lr[c], 5); Assert.Equal(d[c], ld[c], 5); }
        double[] gamma = [1.5, -0.5], beta = [0.25, 1];
        for (int n = 0; n < 4; n++)
        for (int c = 0; c < 2; c++)
            Assert.Equal((X[n * 2 + c] - mean[c]) / sd[c] * r[c] * gamma[c] + d[c] * gamma[c] + beta[c], y[n * 2 + c], 4);
    }

    [Fact]
    public void A_training_step_moves_renorm_and_moving_statistics_and_inference_then_uses_the_moving_ones()
    {
        var layer = Make("null", [0, 0], [1, 1], [1, 1], [2f, 0.5f], [2f, 1f]);
        Call(layer, tensor(X, [4, 2]), training: true);
        double[] mean = [2.5, 0], sd = [Math.Sqrt(1.25 + Eps), Math.Sqrt(6.5 + Eps)];
        var w = layer.ExportWeights().Select(t => t.data<float>().ToArray()).ToArray();
        for (int c = 0; c < 2; c++)
        {
            Assert.Equal(0.1 * mean[c], w[2][c], 5);                                          // moving_mean, momentum 0.9
            double movingStd = 0.9 + 0.1 * sd[c];
            Assert.Equal(movingStd, w[4][c], 5);                                              // moving_stddev
            Assert.Equal(movingStd * movingStd - Eps, w[3][c], 5);                           // moving_variance = stddev² − ε
            Assert.Equal(0.5 * new[] { 2.0, 0.5 }[c] + 0.5 * mean[c], w[5][c], 5);           // renorm_mean, renorm_momentum 0.5
            Assert.Equal(0.5 * new[] { 2.0, 1.0 }[c] + 0.5 * sd[c], w[6][c], 5);             // renorm_stddev
        }
        var y = Call(layer, tensor(X, [4, 2]), training: false).data<float>().ToArray();
        for (int n = 0; n < 4; n++)
        for (int c = 0; c < 2; c++)
            Assert.Equal((X[n * 2 + c] - w[2][c]) / Math.Sqrt(w[3][c] + Eps) * w[0][c] + w[1][c], y[n * 2 + c], 4);
    }

    [Fact]
    public void No_gradient_flows_through_r_and_d()
    {
        // With r, d constants, ∂Σy/∂γ_c = Σ_n x̂_nc·r_c + N·d_c and ∂Σy/∂β_c = N.
        var layer = Make("{\"rmax\": 1.5, \"rmin\": 0.8, \"dmax\": 0.3}", [0, 0], [1, 1], [1, 1], [2f, 0.5f], [2f, 1f]);
        foreach (var t in layer.TrainableTensors.Take(2)) t.requires_grad_(true);
        var x = tensor(X, [4, 2]).requires_grad_(true);
        Call(layer, x, training: true).sum().backward();
        var gg = layer.TrainableTensors[0].grad!.data<float>().ToArray();
        var gb = layer.TrainableTensors[1].grad!.data<float>().ToArray();
        double[] d = [0.25, -0.3];
        for (int c = 0; c < 2; c++)
        {
            Assert.Equal(4 * d[c], gg[c], 4);   // Σ x̂ = 0 over the batch
            Assert.Equal(4, gb[c], 5);
        }
        // ∂Σy/∂x is zero for batch norm with batch statistics (Σ x̂ is constant): true only if r and d carry no gradient.
        Assert.True(x.grad!.abs().max().item<float>() < 1e-5);
    }
}
