using System.Text.Json.Nodes;
using Zoo.FineTune.Training;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.FineTune.Tests.Normalization;

/// <summary>Training steps and gradients of the Zoo normalizations against hand computations on tiny tensors.</summary>
public class ZooNormalizationTrainingTests
{
    private static LoweredLayer Lowered(string cls, string config)
        => LayerLowerings.Create(LayerSpecs.Read(new LayerNode(cls, "n", (JsonObject)JsonNode.Parse(config)!)));

    // One call of the layer as the executor makes it in a training step (training) or a prediction.
    private static Tensor Call(LoweredLayer layer, Tensor x, bool training)
        => layer.Forward([x], [null], new CallContext(training)).Outputs[0];

    // x: (N=2, S=2, C=1) — sample 0 is (1, 3), sample 1 is (5, 11).
    private static Tensor X() => tensor(new float[] { 1, 3, 5, 11 }, [2, 2, 1]);

    [Fact]
    public void Batch_instance_training_step_uses_batch_statistics_moves_the_averages_and_clips_rho()
    {
        var layer = Lowered(BatchInstanceNormalizationSpec.KerasName, "{\"epsilon\": 0.001, \"momentum\": 0.9}");
        layer.Build([[2, 2, 1]]);
        layer.Load([tensor(new float[] { 2 }), tensor(new float[] { 0.5f }), tensor(new float[] { 1.5f }), zeros(1), ones(1)]);
        var y = Call(layer, X(), training: true).data<float>().ToArray();
        // ρ 1.5 clips to 1: pure BN. Batch mean 5, biased variance (16+4+0+36)/4 = 14.
        double sd = Math.Sqrt(14 + 1e-3);
        float[] xs = [1, 3, 5, 11];
        for (int i = 0; i < 4; i++) Assert.Equal(2 * (xs[i] - 5) / sd + 0.5, y[i], 4);
        var w = layer.ExportWeights().Select(t => t.data<float>().ToArray()).ToArray();
        Assert.Equal(1f, w[2][0]);
        Assert.Equal(0.1 * 5, w[3][0], 5);
        Assert.Equal(0.9 + 0.1 * 14, w[4][0], 4);
    }

    [Fact]
    public void Batch_instance_with_rho_half_averages_the_BN_and_IN_normalized_values_and_rho_gets_their_gradient()
    {
        var spec = (BatchInstanceNormalizationSpec)LayerSpecs.Read(new LayerNode(BatchInstanceNormalizationSpec.KerasName, "bin",
            (JsonObject)JsonNode.Parse("{\"epsilon\": 0.001, \"center\": false, \"scale\": false}")!));
        var trained = tensor(new float[] { 0.5f }).requires_grad_(true);
        var y = BatchInstanceNormalizationLowering.Apply(spec, X(), null, null, trained, zeros(1), ones(1), training: true);
        float[] xs = [1, 3, 5, 11];
        double sd = Math.Sqrt(14 + 1e-3);
        // Instance statistics: sample 0 mean 2 var 1, sample 1 mean 8 var 9.
        double[] inorm = [(1 - 2) / Math.Sqrt(1.001), (3 - 2) / Math.Sqrt(1.001), (5 - 8) / Math.Sqrt(9.001), (11 - 8) / Math.Sqrt(9.001)];
        var yv = y.data<float>().ToArray();
        for (int i = 0; i < 4; i++) Assert.Equal(0.5 * (xs[i] - 5) / sd + 0.5 * inorm[i], yv[i], 4);
        // ∂Σ(y·g)/∂ρ = Σ g·(x̂_BN − x̂_IN) with g = (1, 2, 3, 4).
        var g = tensor(new float[] { 1, 2, 3, 4 }, [2, 2, 1]);
        (y * g).sum().backward();
        double expected = 0;
        for (int i = 0; i < 4; i++) expected += (i + 1) * ((xs[i] - 5) / sd - inorm[i]);
        Assert.Equal(expected, trained.grad!.item<float>(), 3);
    }

    [Fact]
    public void Switchable_training_normalizes_with_the_softmax_mix_of_batch_statistics_and_its_weights_get_gradients()
    {
        var layer = Lowered(SwitchableNormalizationSpec.KerasName, "{\"epsilon\": 0.001, \"momentum\": 0.5, \"center\": false, \"scale\": false}");
        layer.Build([[2, 2, 1]]);
        // Weights (0, 0, ln 2): softmax = (1/4, 1/4, 1/2) for mean and variance alike.
        layer.Load([tensor(new float[] { 0, 0, (float)Math.Log(2) }), tensor(new float[] { 0, 0, (float)Math.Log(2) }), zeros(1), ones(1)]);
        var y = Call(layer, X(), training: true).data<float>().ToArray();
        // With one channel LN equals IN: means (2, 8), variances (1, 9); BN: mean 5, variance 14.
        double[] mean = [0.25 * 2 + 0.25 * 2 + 0.5 * 5, 0.25 * 8 + 0.25 * 8 + 0.5 * 5];
        double[] variance = [0.5 * 1 + 0.5 * 14, 0.5 * 9 + 0.5 * 14];
        float[] xs = [1, 3, 5, 11];
        for (int i = 0; i < 4; i++) Assert.Equal((xs[i] - mean[i / 2]) / Math.Sqrt(variance[i / 2] + 1e-3), y[i], 4);
        var w = layer.ExportWeights().Select(t => t.data<float>().ToArray()).ToArray();
        Assert.Equal(0.5 * 0 + 0.5 * 5, w[2][0], 5);
        Assert.Equal(0.5 * 1 + 0.5 * 14, w[3][0], 4);
    }

    [Fact]
    public void Online_training_normalizes_each_sample_with_the_estimates_left_by_the_samples_before_it()
    {
        var layer = Lowered(OnlineNormalizationSpec.KerasName, "{\"epsilon\": 0.001, \"alpha_fwd\": 0.5, \"center\": false}");
        layer.Build([[2, 2, 1]]);
        var gamma = tensor(new float[] { 2 });
        layer.Load([gamma, zeros(1), ones(1)]);
        var x = X().requires_grad_(true);
        var y = Call(layer, x, training: true);
        // Sample 0 sees μ=0, σ²=1. Its mean 2, variance 1: σ² ← .5·1 + .5·1 + .25·(2−0)² = 2, μ ← 1.
        // Sample 1 sees μ=1, σ²=2. Its mean 8, variance 9: σ² ← .5·2 + .5·9 + .25·(8−1)² = 17.75, μ ← 4.5.
        double[] seenMean = [0, 1], seenVar = [1, 2];
        float[] xs = [1, 3, 5, 11];
        var yv = y.data<float>().ToArray();
        for (int i = 0; i < 4; i++) Assert.Equal(2 * (xs[i] - seenMean[i / 2]) / Math.Sqrt(seenVar[i / 2] + 1e-3), yv[i], 4);
        var w = layer.ExportWeights().Select(t => t.data<float>().ToArray()).ToArray();
        Assert.Equal(4.5f, w[1][0], 5);
        Assert.Equal(17.75f, w[2][0], 4);
        // The estimates are constants to autograd: ∂Σy/∂x = γ/√(σ²_{t−1} + ε).
        y.sum().backward();
        var gx = x.grad!.data<float>().ToArray();
        for (int i = 0; i < 4; i++) Assert.Equal(2 / Math.Sqrt(seenVar[i / 2] + 1e-3), gx[i], 4);
    }

    [Fact]
    public void Online_inference_leaves_the_estimates_unchanged()
    {
        var layer = Lowered(OnlineNormalizationSpec.KerasName, "{}");
        layer.Build([[2, 2, 1]]);
        layer.Load([ones(1), zeros(1), tensor(new float[] { 3 }), tensor(new float[] { 4 })]);
        Call(layer, X(), training: false);
        var w = layer.ExportWeights().Select(t => t.data<float>().ToArray()).ToArray();
        Assert.Equal(3f, w[2][0]);
        Assert.Equal(4f, w[3][0]);
    }

    [Fact]
    public void Cosine_normalization_gradient_matches_central_differences()
    {
        var config = (JsonObject)JsonNode.Parse("{\"name\": \"cos\", \"layer\": {\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2, \"activation\": \"tanh\", \"use_bias\": true}}}")!;
        var spec = (CosineNormalizationSpec)LayerSpecs.Read(new LayerNode(CosineNormalizationSpec.KerasName, "cos", config));
        var x = tensor(new double[] { 0.3, -1.2, 2.0, 0.7, 0.1, -0.4 }, [2, 3]);
        var kernel = tensor(new double[] { 0.5, -0.1, 0.9, 0.3, -0.7, 0.2 }, [3, 2]).requires_grad_(true);
        var bias = tensor(new double[] { 0.2, -0.3 }).requires_grad_(true);
        CosineNormalizationLowering.Apply(spec, x, kernel, bias).sum().backward();
        var analytic = kernel.grad!.data<double>().ToArray();
        using var _ = no_grad();
        for (int i = 0; i < 6; i++)
        {
            double Loss(double delta)
            {
                var k = kernel.detach().clone();
                k.view(-1)[i] = k.view(-1)[i] + delta;
                return CosineNormalizationLowering.Apply(spec, x, k, bias.detach()).sum().item<double>();
            }
            Assert.Equal((Loss(1e-6) - Loss(-1e-6)) / 2e-6, analytic[i], 6);
        }
    }
}
