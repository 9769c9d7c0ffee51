using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;
using Zoo.Onnx.Tests.Support;

namespace Zoo.Onnx.Tests.Lowerings;

/// <summary>The Zoo normalizations exported to ONNX agree with Zoo's runtime under ONNX Runtime.</summary>
public class ZooNormalizationOnnxTests
{
    private const int C = 4;

    private static WeightTensor Pos(string layer, string name)
        => WeightTensor.FromFloat32($"{layer}/{name}:0", [C], G.Rand(C, 99).Select(v => 1 + Math.Abs(v)).ToArray());

    private static ModelGraph Model()
    {
        var conv = "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv_inner\", \"filters\": 4, \"kernel_size\": [2, 2], \"padding\": \"same\", \"activation\": \"relu\", \"use_bias\": true}}";
        var dense = "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense_inner\", \"units\": 3, \"activation\": \"softmax\", \"use_bias\": false}}";
        var g = G.Sequential(
            G.Layer("InputLayer", "in", "{\"batch_input_shape\": [null, 3, 3, 4]}"),
            G.Layer("Zoo>CosineNormalization", "cos_conv", "{\"layer\": " + conv + "}", G.W("cos_conv", "kernel", [2, 2, C, C], 1), G.W("cos_conv", "bias", [C], 2)),
            G.Layer("Zoo>BatchInstanceNormalization", "bin", "{}",
                G.W("bin", "gamma", [C], 3), G.W("bin", "beta", [C], 4), G.W("bin", "rho", [C], 5, 1.5f), G.W("bin", "moving_mean", [C], 6), Pos("bin", "moving_variance")),
            G.Layer("Zoo>SwitchableNormalization", "swn", "{}",
                G.W("swn", "gamma", [C], 7), G.W("swn", "beta", [C], 8), G.W("swn", "mean_weights", [3], 9, 2f), G.W("swn", "variance_weights", [3], 10, 2f),
                G.W("swn", "moving_mean", [C], 11), Pos("swn", "moving_variance")),
            G.Layer("Zoo>OnlineNormalization", "online", "{\"center\": false}", G.W("online", "gamma", [C], 12), G.W("online", "moving_mean", [C], 13), Pos("online", "moving_variance")),
            G.Layer("Flatten", "flat", "{}"),
            G.Layer("Zoo>CosineNormalization", "cos_dense", "{\"layer\": " + dense + "}", G.W("cos_dense", "kernel", [36, 3], 14)));
        g.Metadata.KerasVersion = "2.15.0";
        return g;
    }

    [Fact]
    public void Zoo_normalizations_exported_to_ONNX_agree_with_the_runtime()
    {
        long[] shape = [3, 3, 3, C];
        var error = OnnxParity.AssertAgree(Model(), [(G.Rand(3 * 9 * C, 21, 2f), shape)], 1e-5f);
        Assert.True(error <= 1e-5f);
    }
}
