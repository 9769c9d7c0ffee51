using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Torch;

public class ShapeLayerTests
{
    private static float[] Iota(int n) => Enumerable.Range(0, n).Select(i => (float)i).ToArray();

    [Fact]
    public void Flatten_after_a_conv_stack_flattens_in_H_W_C_order()
    {
        // NHWC element (h, w, c) of a 2×2×3 map must land at (h·2 + w)·3 + c, as in Keras.
        var y = G.Run(G.Sequential(G.Layer("Flatten", "f", "{\"batch_input_shape\": [null,2,2,3]}")), Iota(12), new long[] { 1, 2, 2, 3 }, out var s);
        Assert.Equal(new long[] { 1, 12 }, s);
        Assert.Equal(Iota(12), y);
    }

    [Fact]
    public void Flatten_with_channels_first_config_moves_channels_last_before_flattening()
    {
        // Input (C=2, H=1, W=3) = [[0,1,2],[3,4,5]] flattens to H,W,C order: 0,3,1,4,2,5.
        var y = G.Run(G.Sequential(G.Layer("Flatten", "f", "{\"data_format\": \"channels_first\", \"batch_input_shape\": [null,2,1,3]}")), Iota(6), new long[] { 1, 2, 1, 3 }, out _);
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, y);
    }

    [Fact]
    public void Reshape_and_Permute_follow_NumPy_semantics()
    {
        var r = G.Run(G.Sequential(G.Layer("Reshape", "r", "{\"target_shape\": [3,-1], \"batch_input_shape\": [null,6]}")), Iota(6), new long[] { 1, 6 }, out var rs);
        Assert.Equal(new long[] { 1, 3, 2 }, rs);
        Assert.Equal(Iota(6), r);
        var p = G.Run(G.Sequential(G.Layer("Permute", "p", "{\"dims\": [2,1], \"batch_input_shape\": [null,2,3]}")), Iota(6), new long[] { 1, 2, 3 }, out var ps);
        Assert.Equal(new long[] { 1, 3, 2 }, ps);
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, p);
    }

    [Fact]
    public void ZeroPadding2D_with_asymmetric_pairs_pads_top_bottom_left_right()
    {
        var y = G.Run(G.Sequential(G.Layer("ZeroPadding2D", "z", "{\"padding\": [[1,0],[0,2]], \"batch_input_shape\": [null,1,1,1]}")), new float[] { 7 }, new long[] { 1, 1, 1, 1 }, out var s);
        Assert.Equal(new long[] { 1, 2, 3, 1 }, s);
        Assert.Equal(new float[] { 0, 0, 0, 7, 0, 0 }, y);
    }

    [Fact]
    public void Cropping2D_removes_the_given_rows_and_columns()
    {
        var y = G.Run(G.Sequential(G.Layer("Cropping2D", "c", "{\"cropping\": [[1,0],[0,1]], \"batch_input_shape\": [null,3,3,1]}")), Iota(9), new long[] { 1, 3, 3, 1 }, out var s);
        Assert.Equal(new long[] { 1, 2, 2, 1 }, s);
        Assert.Equal(new float[] { 3, 4, 6, 7 }, y);
    }

    [Fact]
    public void UpSampling2D_nearest_repeats_rows_and_columns()
    {
        var y = G.Run(G.Sequential(G.Layer("UpSampling2D", "u", "{\"size\": [2,1], \"batch_input_shape\": [null,2,2,1]}")), Iota(4), new long[] { 1, 2, 2, 1 }, out var s);
        Assert.Equal(new long[] { 1, 4, 2, 1 }, s);
        Assert.Equal(new float[] { 0, 1, 0, 1, 2, 3, 2, 3 }, y);
    }

    [Fact]
    public void UpSampling2D_bilinear_uses_half_pixel_centres()
    {
        // TF2 resize of [0, 1] to 4 columns with half-pixel centres: 0, 0.25, 0.75, 1.
        var y = G.Run(G.Sequential(G.Layer("UpSampling2D", "u", "{\"size\": [1,2], \"interpolation\": \"bilinear\", \"batch_input_shape\": [null,1,2,1]}")), new float[] { 0, 1 }, new long[] { 1, 1, 2, 1 }, out _);
        G.Close(new float[] { 0, 0.25f, 0.75f, 1 }, y);
    }

    [Fact]
    public void RepeatVector_and_Dropout_family_behave_as_at_inference()
    {
        var r = G.Run(G.Sequential(G.Layer("RepeatVector", "r", "{\"n\": 2, \"batch_input_shape\": [null,2]}")), new float[] { 1, 2 }, new long[] { 1, 2 }, out var s);
        Assert.Equal(new long[] { 1, 2, 2 }, s);
        Assert.Equal(new float[] { 1, 2, 1, 2 }, r);
        foreach (var cls in new[] { "Dropout", "SpatialDropout2D", "GaussianNoise", "GaussianDropout", "AlphaDropout" })
            Assert.Equal(new float[] { 1, 2 }, G.Run(G.Sequential(G.Layer(cls, "d", "{\"rate\": 0.5, \"stddev\": 1.0, \"batch_input_shape\": [null,2]}")), new float[] { 1, 2 }, new long[] { 1, 2 }, out _));
    }
}
