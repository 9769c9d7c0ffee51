using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Torch;

/// <summary>
/// ZeroPadding3D, Cropping3D and UpSampling3D against element-by-element loops over the Keras (N, D, H, W, C)
/// layout, in both data formats and behind a Conv3D (where the executor hands them channels-first tensors).
/// </summary>
public class Shape3DLayerTests
{
    private const int D = 2, H = 3, W = 4, C = 2;
    private static readonly long[] Shape = [1, D, H, W, C];
    private static float[] Input() => Enumerable.Range(0, D * H * W * C).Select(i => (float)i + 1).ToArray();
    private static float At(float[] x, int d, int h, int w, int c) => x[((d * H + h) * W + w) * C + c];

    private static float[] Expected(int od, int oh, int ow, Func<int, int, int, int, float> value)
    {
        var y = new float[od * oh * ow * C];
        for (int d = 0; d < od; d++)
            for (int h = 0; h < oh; h++)
                for (int w = 0; w < ow; w++)
                    for (int c = 0; c < C; c++)
                        y[((d * oh + h) * ow + w) * C + c] = value(d, h, w, c);
        return y;
    }

    private static float[] Run(string cls, string config, out long[] shape, bool behindConv = false)
    {
        var input = G.Input("in", null, D, H, W, C);
        var layer = G.Layer(cls, "l", config);
        if (!behindConv) return G.Run(G.Sequential(input, layer), Input(), Shape, out shape);
        // A 1×1×1 identity convolution first: the shape layer then receives the executor's channels-first tensor.
        var identity = new float[C * C];
        for (int c = 0; c < C; c++) identity[c * C + c] = 1;
        var conv = G.Layer("Conv3D", "conv", $"{{\"filters\": {C}, \"kernel_size\": [1, 1, 1]}}",
            Zoo.Formats.Ir.WeightTensor.FromFloat32("conv/kernel:0", [1, 1, 1, C, C], identity),
            Zoo.Formats.Ir.WeightTensor.FromFloat32("conv/bias:0", [C], new float[C]));
        return G.Run(G.Sequential(input, conv, layer), Input(), Shape, out shape);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ZeroPadding3D_pads_each_spatial_axis_before_and_after(bool behindConv)
    {
        var x = Input();
        var y = Run("ZeroPadding3D", "{\"padding\": [[1, 0], [0, 2], [1, 1]]}", out var s, behindConv);
        Assert.Equal(new long[] { 1, D + 1, H + 2, W + 2, C }, s);
        Assert.Equal(Expected(D + 1, H + 2, W + 2, (d, h, w, c) =>
            d >= 1 && h < H && w >= 1 && w <= W ? At(x, d - 1, h, w - 1, c) : 0f), y);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cropping3D_removes_cells_from_each_spatial_axis(bool behindConv)
    {
        var x = Input();
        var y = Run("Cropping3D", "{\"cropping\": [[0, 1], [1, 0], [1, 2]]}", out var s, behindConv);
        Assert.Equal(new long[] { 1, D - 1, H - 1, W - 3, C }, s);
        Assert.Equal(Expected(D - 1, H - 1, W - 3, (d, h, w, c) => At(x, d, h + 1, w + 1, c)), y);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UpSampling3D_repeats_each_cell_along_each_spatial_axis(bool behindConv)
    {
        var x = Input();
        var y = Run("UpSampling3D", "{\"size\": [2, 1, 3]}", out var s, behindConv);
        Assert.Equal(new long[] { 1, 2 * D, H, 3 * W, C }, s);
        Assert.Equal(Expected(2 * D, H, 3 * W, (d, h, w, c) => At(x, d / 2, h, w / 3, c)), y);
    }

    [Fact]
    public void ZeroPadding3D_channels_first_pads_the_last_three_axes()
    {
        // (N, C, D, H, W) = (1, 1, 1, 1, 2): one zero before and after the width only.
        var y = G.Run(G.Sequential(G.Layer("ZeroPadding3D", "z", "{\"padding\": [0, 0, 1], \"data_format\": \"channels_first\", \"batch_input_shape\": [null,1,1,1,2]}")),
            new float[] { 5, 6 }, new long[] { 1, 1, 1, 1, 2 }, out var s);
        Assert.Equal(new long[] { 1, 1, 1, 1, 4 }, s);
        Assert.Equal(new float[] { 0, 5, 6, 0 }, y);
    }

    [Fact]
    public void UpSampling3D_channels_first_keeps_the_channel_axis()
    {
        var y = G.Run(G.Sequential(G.Layer("UpSampling3D", "u", "{\"size\": [1, 1, 2], \"data_format\": \"channels_first\", \"batch_input_shape\": [null,2,1,1,1]}")),
            new float[] { 3, 4 }, new long[] { 1, 2, 1, 1, 1 }, out var s);
        Assert.Equal(new long[] { 1, 2, 1, 1, 2 }, s);
        Assert.Equal(new float[] { 3, 3, 4, 4 }, y);
    }
}
