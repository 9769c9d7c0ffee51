using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Torch;

public class PoolingLoweringTests
{
    [Theory]
    [InlineData(7, 5, 3, 3, 2, 2, "same", true)]
    [InlineData(7, 5, 3, 3, 2, 2, "same", false)]   // average excludes padded cells
    [InlineData(6, 6, 2, 2, 2, 2, "valid", false)]
    [InlineData(5, 8, 3, 2, 1, 3, "same", false)]
    [InlineData(5, 8, 2, 3, 2, 1, "valid", true)]
    public void Pooling2D_matches_TF_pooling(int h, int w, int kh, int kw, int sh, int sw, string padding, bool max)
    {
        int n = 2, c = 3;
        var cls = max ? "MaxPooling2D" : "AveragePooling2D";
        var layer = G.Layer(cls, "pool", $"{{\"pool_size\": [{kh},{kw}], \"strides\": [{sh},{sw}], \"padding\": \"{padding}\", \"batch_input_shape\": [null,{h},{w},{c}]}}");
        var x = G.Rand(n * h * w * c, 21);
        var y = G.Run(G.Sequential(layer), x, new long[] { n, h, w, c }, out _);
        G.Close(Naive.Pool2D(x, n, h, w, c, kh, kw, sh, sw, padding == "same", max), y);
    }

    [Fact]
    public void Pooling1D_same_with_odd_length_averages_real_cells_only()
    {
        var layer = G.Layer("AveragePooling1D", "p", "{\"pool_size\": 2, \"strides\": 2, \"padding\": \"same\", \"batch_input_shape\": [null,5,1]}");
        var y = G.Run(G.Sequential(layer), new float[] { 1, 2, 3, 4, 5 }, new long[] { 1, 5, 1 }, out var shape);
        Assert.Equal(new long[] { 1, 3, 1 }, shape);
        Assert.Equal(new float[] { 1.5f, 3.5f, 5f }, y);
    }

    [Theory]
    [InlineData("GlobalAveragePooling2D", false)]
    [InlineData("GlobalMaxPooling2D", true)]
    public void Global_pooling_reduces_H_and_W_and_keeps_dims_when_asked(string cls, bool max)
    {
        int h = 3, w = 4, c = 2;
        var x = G.Rand(h * w * c, 22);
        var expected = Enumerable.Range(0, c).Select(ch =>
        {
            var vals = Enumerable.Range(0, h * w).Select(p => x[p * c + ch]);
            return max ? vals.Max() : vals.Average();
        }).ToArray();
        var flat = G.Run(G.Sequential(G.Layer(cls, "g", $"{{\"batch_input_shape\": [null,{h},{w},{c}]}}")), x, new long[] { 1, h, w, c }, out var s1);
        Assert.Equal(new long[] { 1, c }, s1);
        G.Close(expected, flat);
        var kept = G.Run(G.Sequential(G.Layer(cls, "g", $"{{\"keepdims\": true, \"batch_input_shape\": [null,{h},{w},{c}]}}")), x, new long[] { 1, h, w, c }, out var s2);
        Assert.Equal(new long[] { 1, 1, 1, c }, s2);
        G.Close(expected, kept);
    }
}
