using Xunit.Abstractions;
using Zoo.FineTune.Scaling;
using Zoo.Models.Tests.Support;
using Zoo.Onnx.Tests.Support;

namespace Zoo.FineTune.Tests.Scaling;

/// <summary>A Normalization layer adapted by <see cref="NormalizationAdapter"/> exports to ONNX and gives Zoo's runtime numbers on ONNX Runtime.</summary>
public class NormalizationAdapterOnnxTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("[-1]", false)]
    [InlineData("[1, 2]", false)]
    [InlineData("[-1]", true)]
    public void An_adapted_Normalization_layer_gives_Zoo_runtime_numbers_on_ONNX_Runtime_within_1e5(string axis, bool invert)
    {
        long[] shape = { 6, 3, 4, 2 };
        var g = G.Sequential(G.Input("in", null, 3, 4, 2), G.Layer("Normalization", "norm", $"{{\"axis\": {axis}, \"invert\": {(invert ? "true" : "false")}}}"));
        // Data far from zero with a spread unlike 1, so a missing mean or std would show.
        var data = G.Rand(6 * 3 * 4 * 2, 9, 2.5f).Select((v, i) => v + 3f + i % 4).ToArray();
        var stats = NormalizationAdapter.Adapt(g, "norm", data, shape);
        Assert.Contains(stats.Variance, v => v > 1.5);
        var x = G.Rand(2 * 3 * 4 * 2, 10, 3f).Select(v => v + 2f).ToArray();
        long[] xs = { 2, 3, 4, 2 };
        output.WriteLine($"axis {axis} invert {invert}: max abs error {OnnxParity.AssertAgree(g, new[] { (x, xs) }):E2}");
        var y = OnnxParity.Ort(g, new[] { (x, xs) })[0].Data;
        // Spot-check x[0] against the formula on the ONNX side alone; it sits at kept position 0 for either axis choice.
        const int kept = 0;
        double std = Math.Max(Math.Sqrt(stats.Variance[kept]), 1e-7);
        double expected = invert ? stats.Mean[kept] + x[0] * std : (x[0] - stats.Mean[kept]) / std;
        Assert.Equal(expected, y[0], 4);
    }
}
