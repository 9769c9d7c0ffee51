using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Torch;

public class TransposeAnd3DTests
{
    [Theory]
    [InlineData(5, 4, 3, 3, 2, 2, 1, "same", null)]   // the usual decoder upsampling: 5×4 → 10×8
    [InlineData(5, 4, 3, 3, 2, 2, 1, "valid", null)]  // full output: (in−1)·s + k
    [InlineData(4, 4, 1, 1, 2, 2, 1, "valid", null)]  // kernel smaller than stride: trailing cells hold only the bias
    [InlineData(5, 5, 4, 4, 2, 2, 1, "same", null)]   // even kernel: TF crops the odd cell from the end
    [InlineData(5, 4, 3, 3, 2, 3, 1, "same", 1)]      // output_padding
    [InlineData(4, 5, 3, 2, 2, 2, 1, "valid", 1)]
    [InlineData(5, 5, 3, 3, 1, 1, 2, "same", null)]   // dilation
    [InlineData(6, 5, 3, 3, 1, 1, 2, "valid", null)]
    public void Conv2DTranspose_matches_a_naive_scatter_with_TF_cropping(int h, int w, int kh, int kw, int sh, int sw, int d, string padding, int? op)
    {
        int n = 2, c = 3, f = 4;
        var k = G.W("deconv", "kernel", new long[] { kh, kw, f, c }, 11);
        var b = G.W("deconv", "bias", new long[] { f }, 12);
        var opJson = op is null ? "null" : $"[{op},{op}]";
        var layer = G.Layer("Conv2DTranspose", "deconv",
            $"{{\"filters\": {f}, \"kernel_size\": [{kh},{kw}], \"strides\": [{sh},{sw}], \"dilation_rate\": [{d},{d}], \"padding\": \"{padding}\", \"output_padding\": {opJson}, \"use_bias\": true, \"activation\": \"linear\", \"batch_input_shape\": [null,{h},{w},{c}]}}", k, b);
        var x = G.Rand(n * h * w * c, 13);
        var y = G.Run(G.Sequential(layer), x, new long[] { n, h, w, c }, out var shape);
        var expected = NaiveTranspose.Conv2DTranspose(x, n, h, w, c, k.ToFloat32(), kh, kw, f, b.ToFloat32(), sh, sw, d, d, padding == "same", op, op, out int oh, out int ow);
        Assert.Equal(new long[] { n, oh, ow, f }, shape);
        G.Close(expected, y);
    }

    [Fact]
    public void Conv2DTranspose_same_stride_2_doubles_the_size_as_Keras_documents()
    {
        var k = G.W("up", "kernel", new long[] { 3, 3, 2, 1 }, 14);
        var layer = G.Layer("Conv2DTranspose", "up", "{\"filters\": 2, \"kernel_size\": 3, \"strides\": 2, \"padding\": \"same\", \"use_bias\": false, \"batch_input_shape\": [null,7,3,1]}", k);
        G.Run(G.Sequential(layer), G.Rand(21, 15), new long[] { 1, 7, 3, 1 }, out var shape);
        Assert.Equal(new long[] { 1, 14, 6, 2 }, shape);
    }

    [Theory]
    [InlineData("same", 2, null)]
    [InlineData("valid", 3, null)]
    [InlineData("valid", 2, 1)]
    public void Conv1DTranspose_matches_the_2D_reference_on_a_height_1_image(string padding, int stride, int? op)
    {
        int n = 2, t = 6, c = 2, f = 3, kl = 3;
        var k = G.W("d1", "kernel", new long[] { kl, f, c }, 16);
        var opJson = op is null ? "null" : $"[{op}]";
        var layer = G.Layer("Conv1DTranspose", "d1",
            $"{{\"filters\": {f}, \"kernel_size\": [{kl}], \"strides\": [{stride}], \"padding\": \"{padding}\", \"output_padding\": {opJson}, \"use_bias\": false, \"batch_input_shape\": [null,{t},{c}]}}", k);
        var x = G.Rand(n * t * c, 17);
        var y = G.Run(G.Sequential(layer), x, new long[] { n, t, c }, out var shape);
        var expected = NaiveTranspose.Conv2DTranspose(x, n, 1, t, c, k.ToFloat32(), 1, kl, f, null, 1, stride, 1, 1, padding == "same", 0, op, out _, out int ow);
        Assert.Equal(new long[] { n, ow, f }, shape);
        G.Close(expected, y);
    }

    [Fact]
    public void Conv2DTranspose_with_channels_first_config_takes_and_gives_NCHW()
    {
        int n = 1, c = 2, h = 3, w = 4, f = 2;
        var k = G.W("cf", "kernel", new long[] { 2, 2, f, c }, 18);
        var layer = G.Layer("Conv2DTranspose", "cf",
            $"{{\"filters\": {f}, \"kernel_size\": 2, \"strides\": 2, \"padding\": \"valid\", \"data_format\": \"channels_first\", \"use_bias\": false, \"batch_input_shape\": [null,{c},{h},{w}]}}", k);
        var nhwc = G.Rand(n * h * w * c, 19);
        var nchw = new float[nhwc.Length];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) for (int ci = 0; ci < c; ci++) nchw[(ci * h + i) * w + j] = nhwc[(i * w + j) * c + ci];
        var y = G.Run(G.Sequential(layer), nchw, new long[] { n, c, h, w }, out var shape);
        var expected = NaiveTranspose.Conv2DTranspose(nhwc, n, h, w, c, k.ToFloat32(), 2, 2, f, null, 2, 2, 1, 1, false, null, null, out int oh, out int ow);
        Assert.Equal(new long[] { n, f, oh, ow }, shape);
        for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) for (int o = 0; o < f; o++)
            Assert.True(Math.Abs(expected[(i * ow + j) * f + o] - y[(o * oh + i) * ow + j]) < 1e-5);
    }

    [Theory]
    [InlineData("same", 10, 8)]
    [InlineData("same", 9, 7)]     // TF also accepts the odd size whose same-padded forward conv gives the input back
    [InlineData("valid", 11, 9)]
    public void Keras1_Deconvolution2D_takes_its_output_size_from_output_shape(string borderMode, int oh, int ow)
    {
        int n = 1, h = 5, w = 4, c = 2, f = 3;
        var k = G.W("deconv", "W", new long[] { 3, 3, f, c }, 23);
        var b = G.W("deconv", "b", new long[] { f }, 24);
        var layer = G.Layer("Deconvolution2D", "deconv",
            $"{{\"nb_filter\": {f}, \"nb_row\": 3, \"nb_col\": 3, \"output_shape\": [null,{oh},{ow},{f}], \"subsample\": [2,2], \"border_mode\": \"{borderMode}\", \"dim_ordering\": \"tf\", \"bias\": true, \"activation\": \"linear\", \"batch_input_shape\": [null,{h},{w},{c}]}}", k, b);
        var x = G.Rand(n * h * w * c, 25);
        var y = G.Run(G.Sequential(layer), x, new long[] { n, h, w, c }, out var shape);
        var expected = NaiveTranspose.Conv2DTranspose(x, n, h, w, c, k.ToFloat32(), 3, 3, f, b.ToFloat32(), 2, 2, 1, 1, borderMode == "same", null, null, out _, out _, oh, ow);
        Assert.Equal(new long[] { n, oh, ow, f }, shape);
        G.Close(expected, y);
    }

    [Theory]
    [InlineData("same", 2)]
    [InlineData("valid", 1)]
    public void Conv3D_matches_a_naive_TF_convolution(string padding, int stride)
    {
        int n = 2, c = 2, f = 3;
        int[] size = { 5, 4, 3 }, ks = { 3, 2, 2 }, st = { stride, stride, 1 };
        var k = G.W("c3", "kernel", new long[] { ks[0], ks[1], ks[2], c, f }, 20);
        var layer = G.Layer("Conv3D", "c3",
            $"{{\"filters\": {f}, \"kernel_size\": [{ks[0]},{ks[1]},{ks[2]}], \"strides\": [{st[0]},{st[1]},{st[2]}], \"padding\": \"{padding}\", \"use_bias\": false, \"batch_input_shape\": [null,{size[0]},{size[1]},{size[2]},{c}]}}", k);
        var x = G.Rand(n * 60 * c, 21);
        var y = G.Run(G.Sequential(layer), x, new long[] { n, size[0], size[1], size[2], c }, out var shape);
        var expected = NaiveTranspose.Conv3D(x, n, size, c, k.ToFloat32(), ks, f, st, padding == "same", out var o);
        Assert.Equal(new long[] { n, o[0], o[1], o[2], f }, shape);
        G.Close(expected, y);
    }

    [Theory]
    [InlineData("MaxPooling3D", "same")]
    [InlineData("MaxPooling3D", "valid")]
    [InlineData("AveragePooling3D", "same")]   // padded cells are not counted in the mean
    [InlineData("AveragePooling3D", "valid")]
    public void Pooling3D_matches_a_naive_TF_pool(string cls, string padding)
    {
        int n = 1, c = 2;
        int[] size = { 5, 3, 4 }, ks = { 2, 2, 3 }, st = { 2, 2, 2 };
        var layer = G.Layer(cls, "p3", $"{{\"pool_size\": [2,2,3], \"strides\": [2,2,2], \"padding\": \"{padding}\", \"batch_input_shape\": [null,5,3,4,{c}]}}");
        var x = G.Rand(n * 60 * c, 22);
        var y = G.Run(G.Sequential(layer), x, new long[] { n, 5, 3, 4, c }, out var shape);
        var expected = NaiveTranspose.Pool3D(x, n, size, c, ks, st, padding == "same", cls.StartsWith("Max"), out var o);
        Assert.Equal(new long[] { n, o[0], o[1], o[2], c }, shape);
        G.Close(expected, y);
    }
}
