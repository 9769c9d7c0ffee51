using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Torch;

public class ConvLoweringTests
{
    [Theory]
    [InlineData(7, 6, 3, 3, 2, 2, 1, "same", 1)]   // odd sizes, stride 2: TF puts the extra pad cell at bottom/right
    [InlineData(8, 8, 3, 3, 2, 2, 1, "same", 1)]
    [InlineData(9, 7, 3, 2, 1, 1, 2, "same", 1)]   // dilation
    [InlineData(9, 7, 3, 3, 2, 1, 1, "valid", 1)]
    [InlineData(6, 6, 2, 2, 1, 1, 1, "same", 2)]   // groups
    [InlineData(5, 5, 4, 4, 3, 3, 1, "same", 1)]   // kernel bigger than stride, uneven padding
    public void Conv2D_matches_a_naive_TF_convolution(int h, int w, int kh, int kw, int sh, int sw, int d, string padding, int groups)
    {
        int n = 2, c = 4, f = 6;
        var k = G.W("conv", "kernel", new long[] { kh, kw, c / groups, f }, 1);
        var b = G.W("conv", "bias", new long[] { f }, 2);
        var layer = G.Layer("Conv2D", "conv",
            $"{{\"filters\": {f}, \"kernel_size\": [{kh},{kw}], \"strides\": [{sh},{sw}], \"dilation_rate\": [{d},{d}], \"padding\": \"{padding}\", \"groups\": {groups}, \"use_bias\": true, \"activation\": \"linear\", \"batch_input_shape\": [null,{h},{w},{c}]}}", k, b);
        var x = G.Rand(n * h * w * c, 3);
        var y = G.Run(G.Sequential(layer), x, new long[] { n, h, w, c }, out var shape);
        var expected = Naive.Conv2D(x, n, h, w, c, k.ToFloat32(), kh, kw, f, b.ToFloat32(), sh, sw, d, d, padding == "same", groups);
        Assert.Equal(new long[] { n, Naive.OutSize(h, kh, sh, d, padding == "same"), Naive.OutSize(w, kw, sw, d, padding == "same"), f }, shape);
        G.Close(expected, y);
    }

    [Fact]
    public void Conv1D_causal_pads_only_the_past()
    {
        int n = 1, t = 6, c = 2, f = 3, kl = 3, d = 2;
        var k = G.W("c1", "kernel", new long[] { kl, c, f }, 4);
        var layer = G.Layer("Conv1D", "c1",
            $"{{\"filters\": {f}, \"kernel_size\": [{kl}], \"strides\": [1], \"dilation_rate\": [{d}], \"padding\": \"causal\", \"use_bias\": false, \"batch_input_shape\": [null,{t},{c}]}}", k);
        var x = G.Rand(n * t * c, 5);
        var y = G.Run(G.Sequential(layer), x, new long[] { n, t, c }, out var shape);
        Assert.Equal(new long[] { n, t, f }, shape);
        var kv = k.ToFloat32();
        for (int step = 0; step < t; step++)
        for (int o = 0; o < f; o++)
        {
            double acc = 0;
            for (int u = 0; u < kl; u++)
            {
                int src = step - (kl - 1 - u) * d;
                if (src < 0) continue;
                for (int ci = 0; ci < c; ci++) acc += x[src * c + ci] * kv[(u * c + ci) * f + o];
            }
            Assert.True(Math.Abs(acc - y[step * f + o]) < 1e-5, $"step {step} filter {o}: {acc} vs {y[step * f + o]}");
        }
    }

    [Fact]
    public void Conv2D_with_channels_first_config_takes_and_gives_NCHW()
    {
        int n = 1, c = 3, h = 5, w = 4, f = 2;
        var k = G.W("cf", "kernel", new long[] { 3, 3, c, f }, 6);
        var layer = G.Layer("Conv2D", "cf",
            $"{{\"filters\": {f}, \"kernel_size\": 3, \"padding\": \"same\", \"data_format\": \"channels_first\", \"use_bias\": false, \"batch_input_shape\": [null,{c},{h},{w}]}}", k);
        var nhwc = G.Rand(n * h * w * c, 7);
        var nchw = new float[nhwc.Length];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) for (int ch = 0; ch < c; ch++)
            nchw[(ch * h + i) * w + j] = nhwc[(i * w + j) * c + ch];
        var y = G.Run(G.Sequential(layer), nchw, new long[] { n, c, h, w }, out var shape);
        Assert.Equal(new long[] { n, f, h, w }, shape);
        var expected = Naive.Conv2D(nhwc, n, h, w, c, k.ToFloat32(), 3, 3, f, null, 1, 1, 1, 1, true);
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) for (int o = 0; o < f; o++)
            Assert.True(Math.Abs(expected[(i * w + j) * f + o] - y[(o * h + i) * w + j]) < 1e-5);
    }

    [Theory]
    [InlineData(7, 7, 2, 2, "same", 2)]
    [InlineData(6, 5, 1, 1, "valid", 1)]
    public void DepthwiseConv2D_matches_a_naive_depthwise_convolution(int h, int w, int sh, int sw, string padding, int mult)
    {
        int n = 2, c = 3;
        var k = G.W("dw", "depthwise_kernel", new long[] { 3, 3, c, mult }, 8);
        var b = G.W("dw", "bias", new long[] { c * mult }, 9);
        var layer = G.Layer("DepthwiseConv2D", "dw",
            $"{{\"kernel_size\": [3,3], \"strides\": [{sh},{sw}], \"padding\": \"{padding}\", \"depth_multiplier\": {mult}, \"use_bias\": true, \"batch_input_shape\": [null,{h},{w},{c}]}}", k, b);
        var x = G.Rand(n * h * w * c, 10);
        var y = G.Run(G.Sequential(layer), x, new long[] { n, h, w, c }, out _);
        var expected = Naive.Depthwise(x, n, h, w, c, k.ToFloat32(), 3, 3, mult, sh, sw, padding == "same");
        var bias = b.ToFloat32();
        for (int i = 0; i < expected.Length; i++) expected[i] += bias[i % (c * mult)];
        G.Close(expected, y);
    }

    [Fact]
    public void SeparableConv2D_is_depthwise_then_pointwise_then_bias()
    {
        int n = 1, h = 6, w = 5, c = 2, mult = 2, f = 3;
        var dk = G.W("sep", "depthwise_kernel", new long[] { 3, 3, c, mult }, 11);
        var pk = G.W("sep", "pointwise_kernel", new long[] { 1, 1, c * mult, f }, 12);
        var b = G.W("sep", "bias", new long[] { f }, 13);
        var layer = G.Layer("SeparableConv2D", "sep",
            $"{{\"filters\": {f}, \"kernel_size\": [3,3], \"strides\": [2,2], \"padding\": \"same\", \"depth_multiplier\": {mult}, \"use_bias\": true, \"activation\": \"relu\", \"batch_input_shape\": [null,{h},{w},{c}]}}", dk, pk, b);
        var x = G.Rand(n * h * w * c, 14);
        var y = G.Run(G.Sequential(layer), x, new long[] { n, h, w, c }, out var shape);
        var mid = Naive.Depthwise(x, n, h, w, c, dk.ToFloat32(), 3, 3, mult, 2, 2, true);
        int oh = (int)shape[1], ow = (int)shape[2];
        var expected = Naive.Conv2D(mid, n, oh, ow, c * mult, pk.ToFloat32(), 1, 1, f, b.ToFloat32(), 1, 1, 1, 1, false)
            .Select(v => Math.Max(v, 0f)).ToArray();
        G.Close(expected, y);
    }
}

public class TheanoKernelTests
{
    [Fact]
    public void Conv2D_from_a_Theano_written_file_flips_its_kernel_as_Keras_does_on_load()
    {
        var k = G.W("conv", "kernel", new long[] { 3, 3, 1, 1 }, 15);
        var g = G.Sequential(G.Layer("Conv2D", "conv", "{\"filters\": 1, \"kernel_size\": [3,3], \"use_bias\": false, \"batch_input_shape\": [null,4,4,1]}", k));
        g.Metadata.Backend = "theano";
        var x = G.Rand(16, 16);
        var y = G.Run(g, x, new long[] { 1, 4, 4, 1 }, out _);
        var kv = k.ToFloat32();
        var flipped = Enumerable.Range(0, 9).Select(i => kv[8 - i]).ToArray();
        G.Close(Naive.Conv2D(x, 1, 4, 4, 1, flipped, 3, 3, 1, null, 1, 1, 1, 1, false), y);
    }
}
