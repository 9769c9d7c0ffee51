using Zoo.FineTune.Data;
using Zoo.Formats.Tests.Support;

namespace Zoo.FineTune.Tests.Data;

/// <summary>Resized and preprocessed pixel values against hand computations.</summary>
public class PixelValueTests
{
    [Fact]
    public void Bilinear_resize_uses_half_pixel_centres_like_tf_image_resize()
    {
        // 2×2 → 4×4: output index o reads the source at (o + ½)·½ − ½ = −¼, ¼, ¾, 1¼, clamped at the edges.
        float[] src = [0, 100, 200, 40];
        var r = BilinearResize.Resize(src, 2, 2, 1, 4, 4);
        Assert.Equal(0f, r[0]);                                  // (−¼, −¼) clamps to the corner
        Assert.Equal(25f, r[1]);                                 // row 0, x = ¼: 0 + 100·¼
        Assert.Equal(75f, r[2]);
        float top = 0 + 100 * 0.25f, bottom = 200 + (40 - 200) * 0.25f;
        Assert.Equal(top + (bottom - top) * 0.25f, r[5], 4);     // (¼, ¼) = 58.75
        Assert.Equal(40f, r[15]);
    }

    [Fact]
    public void Decoded_png_is_resized_then_rescaled_to_the_hand_computed_values()
    {
        using var dir = new TempDir();
        ImageFiles.Write(dir.File("c/x.png"), 2, 2, (x, y) => ((byte)(new[] { 0, 100, 200, 40 }[y * 2 + x]), 10, 20));
        var data = ImageFolder.Load(dir.Path, new ImageLoadOptions { Height = 4, Width = 4, Preprocess = ImagePreprocessing.Rescale });
        var x = data.Samples.X;
        Assert.Equal(58.75f / 255f, x[(1 * 4 + 1) * 3], 6);
        Assert.Equal(10f / 255f, x[(1 * 4 + 1) * 3 + 1], 6);
        Assert.Equal(20f / 255f, x[15 * 3 + 2], 6);
    }

    [Theory]
    [InlineData(ImagePreprocessing.None, 10f, 20f, 30f)]
    [InlineData(ImagePreprocessing.Rescale, 10f / 255, 20f / 255, 30f / 255)]
    [InlineData(ImagePreprocessing.Caffe, 30 - 103.939f, 20 - 116.779f, 10 - 123.68f)]   // BGR, mean subtracted
    [InlineData(ImagePreprocessing.Tf, 10 / 127.5f - 1, 20 / 127.5f - 1, 30 / 127.5f - 1)]
    [InlineData(ImagePreprocessing.Torch, (10 / 255f - 0.485f) / 0.229f, (20 / 255f - 0.456f) / 0.224f, (30 / 255f - 0.406f) / 0.225f)]
    public void Every_preprocessing_mode_matches_its_formula(ImagePreprocessing mode, float r, float g, float b)
    {
        using var dir = new TempDir();
        ImageFiles.Solid(dir.File("only/p.bmp"), 3, 3, 10, 20, 30);
        var data = ImageFolder.Load(dir.Path, new ImageLoadOptions { Height = 2, Width = 2, Preprocess = mode });
        Assert.Equal(r, data.Samples.X[0], 4);
        Assert.Equal(g, data.Samples.X[1], 4);
        Assert.Equal(b, data.Samples.X[2], 4);
    }

    [Fact]
    public void Grayscale_models_get_one_channel_with_tf_luma_weights()
    {
        using var dir = new TempDir();
        ImageFiles.Solid(dir.File("g/p.png"), 3, 3, 10, 20, 30);
        var data = ImageFolder.Load(dir.Path, new ImageLoadOptions { Height = 3, Width = 3, Channels = 1 });
        Assert.Equal(new long[] { 1, 3, 3, 1 }, data.Samples.XShape);
        Assert.Equal(0.2989f * 10 + 0.587f * 20 + 0.114f * 30, data.Samples.X[4], 4);
        Assert.Throws<ArgumentException>(() => ImageFolder.Load(dir.Path, new ImageLoadOptions { Height = 3, Width = 3, Channels = 1, Preprocess = ImagePreprocessing.Caffe }));
    }
}
