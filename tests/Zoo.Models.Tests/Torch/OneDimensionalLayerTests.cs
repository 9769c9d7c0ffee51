using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Torch;

/// <summary>1-D layers run as height-1 2-D ones; these check that against the 2-D naive loops with H = 1.</summary>
public class OneDimensionalLayerTests
{
    [Theory]
    [InlineData(9, 3, 2, 1, "same")]
    [InlineData(10, 4, 3, 1, "same")]
    [InlineData(9, 3, 1, 2, "valid")]
    public void Conv1D_matches_a_naive_convolution(int t, int k, int s, int d, string padding)
    {
        int n = 2, c = 3, f = 4;
        var kernel = G.W("c", "kernel", new long[] { k, c, f }, 101);
        var layer = G.Layer("Conv1D", "c", $"{{\"filters\": {f}, \"kernel_size\": {k}, \"strides\": {s}, \"dilation_rate\": {d}, \"padding\": \"{padding}\", \"use_bias\": false, \"batch_input_shape\": [null,{t},{c}]}}", kernel);
        var x = G.Rand(n * t * c, 102);
        var y = G.Run(G.Sequential(layer), x, new long[] { n, t, c }, out _);
        G.Close(Naive.Conv2D(x, n, 1, t, c, kernel.ToFloat32(), 1, k, f, null, 1, s, 1, d, padding == "same"), y);
    }

    [Theory]
    [InlineData("MaxPooling1D", true)]
    [InlineData("AveragePooling1D", false)]
    public void Pooling1D_same_stride_2_matches_naive_pooling(string cls, bool max)
    {
        int n = 1, t = 7, c = 2;
        var x = G.Rand(n * t * c, 103);
        var y = G.Run(G.Sequential(G.Layer(cls, "p", $"{{\"pool_size\": 3, \"strides\": 2, \"padding\": \"same\", \"batch_input_shape\": [null,{t},{c}]}}")), x, new long[] { n, t, c }, out _);
        G.Close(Naive.Pool2D(x, n, 1, t, c, 1, 3, 1, 2, true, max), y);
    }

    [Fact]
    public void ZeroPadding1D_Cropping1D_UpSampling1D_and_GlobalAveragePooling1D_work_on_the_time_axis()
    {
        float[] x = { 1, 2, 3, 4 }; // (1, 2 steps, 2 channels)
        long[] s = { 1, 2, 2 };
        Assert.Equal(new float[] { 0, 0, 1, 2, 3, 4, 0, 0, 0, 0 }, G.Run(G.Sequential(G.Layer("ZeroPadding1D", "z", "{\"padding\": [1,2], \"batch_input_shape\": [null,2,2]}")), x, s, out _));
        Assert.Equal(new float[] { 3, 4 }, G.Run(G.Sequential(G.Layer("Cropping1D", "c", "{\"cropping\": [1,0], \"batch_input_shape\": [null,2,2]}")), x, s, out _));
        Assert.Equal(new float[] { 1, 2, 1, 2, 3, 4, 3, 4 }, G.Run(G.Sequential(G.Layer("UpSampling1D", "u", "{\"size\": 2, \"batch_input_shape\": [null,2,2]}")), x, s, out _));
        Assert.Equal(new float[] { 2, 3 }, G.Run(G.Sequential(G.Layer("GlobalAveragePooling1D", "g", "{\"batch_input_shape\": [null,2,2]}")), x, s, out _));
    }

    [Fact]
    public void SeparableConv1D_equals_depthwise_then_pointwise()
    {
        int t = 6, c = 2, mult = 1, f = 2;
        var dk = G.W("s", "depthwise_kernel", new long[] { 3, c, mult }, 104);
        var pk = G.W("s", "pointwise_kernel", new long[] { 1, c * mult, f }, 105);
        var layer = G.Layer("SeparableConv1D", "s", $"{{\"filters\": {f}, \"kernel_size\": 3, \"padding\": \"valid\", \"use_bias\": false, \"batch_input_shape\": [null,{t},{c}]}}", dk, pk);
        var x = G.Rand(t * c, 106);
        var y = G.Run(G.Sequential(layer), x, new long[] { 1, t, c }, out _);
        var mid = Naive.Depthwise(x, 1, 1, t, c, dk.ToFloat32(), 1, 3, mult, 1, 1, false);
        G.Close(Naive.Conv2D(mid, 1, 1, t - 2, c * mult, pk.ToFloat32(), 1, 1, f, null, 1, 1, 1, 1, false), y);
    }
}
