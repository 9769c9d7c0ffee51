using System.Text.Json.Nodes;
using Zoo.Models.Torch;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.FineTune.Tests.Normalization;

public class SpectralNormalizationTrainingTests
{
    private static LoweredLayer Make()
    {
        var config = (JsonObject)JsonNode.Parse("{\"name\": \"sn\", \"power_iterations\": 1, \"layer\": {\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2, \"use_bias\": true}}}")!;
        var layer = LayerLowerings.Create(LayerSpecs.Read(new LayerNode("SpectralNormalization", "sn", config), KerasDialectKind.Keras3));
        layer.Build([[1, 2]]);
        layer.Load([tensor(new float[] { 3, 0, 4, 5 }, [2, 2]), zeros(2), tensor(new float[] { 1, 0 }, [1, 2])]);
        return layer;
    }

    [Fact]
    public void A_training_call_updates_u_and_divides_the_kernel_by_sigma_and_inference_does_not()
    {
        var layer = Make();
        layer.Forward([ones(1, 2)], [null], CallContext.Inference);
        Assert.Equal(new float[] { 3, 0, 4, 5 }, layer.ExportWeights()[0].data<float>().ToArray());

        var y = layer.Forward([tensor(new float[] { 1, 1 }, [1, 2])], [null], new CallContext(true)).Outputs[0].data<float>().ToArray();
        // u0 = (1, 0): v = normalize(u0·Wᵀ) = normalize(3, 4) = (0.6, 0.8); v·W = (5, 4); u = (5, 4)/√41; σ = √41.
        double sigma = Math.Sqrt(41);
        var w = layer.ExportWeights().Select(t => t.data<float>().ToArray()).ToArray();
        float[] k = [3, 0, 4, 5];
        for (int i = 0; i < 4; i++) Assert.Equal(k[i] / sigma, w[0][i], 5);
        Assert.Equal(5 / sigma, w[2][0], 5);
        Assert.Equal(4 / sigma, w[2][1], 5);
        Assert.Equal((3 + 4) / sigma, y[0], 5);
        Assert.Equal(5 / sigma, y[1], 5);
    }
}
