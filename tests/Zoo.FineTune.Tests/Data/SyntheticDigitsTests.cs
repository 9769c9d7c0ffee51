using Zoo.FineTune.Data;
using Zoo.FineTune.Fitting;

namespace Zoo.FineTune.Tests.Data;

public class SyntheticDigitsTests
{
    [Fact]
    public void The_same_seed_gives_the_same_bytes_and_another_seed_does_not()
    {
        var a = SyntheticDigits.Generate(50, seed: 7);
        var b = SyntheticDigits.Generate(50, seed: 7);
        var c = SyntheticDigits.Generate(50, seed: 8);
        Assert.Equal(a.X, b.X);
        Assert.Equal(a.Y, b.Y);
        Assert.NotEqual(a.X, c.X);
    }

    [Fact]
    public void Samples_are_nhwc_in_the_unit_range_with_balanced_one_hot_classes()
    {
        var d = SyntheticDigits.Generate(200, seed: 1);
        d.Validate();
        Assert.Equal(new long[] { 200, 28, 28, 1 }, d.XShape);
        Assert.Equal(new long[] { 200, 10 }, d.YShape);
        Assert.All(d.X, v => Assert.InRange(v, 0f, 1f));
        var labels = SyntheticDigits.Labels(d);
        Assert.All(Enumerable.Range(0, 10), k => Assert.Equal(20, labels.Count(l => l == k)));
        // Each image carries a stroke: a good share of bright pixels, most of the image dark.
        for (int i = 0; i < 200; i++)
        {
            int bright = d.X.Skip(i * 784).Take(784).Count(v => v > 0.5f);
            Assert.InRange(bright, 25, 400);
        }
    }

    [Fact]
    public void Inverted_and_rotated_domains_are_pixel_transforms_of_the_plain_digits()
    {
        var plain = SyntheticDigits.Generate(20, seed: 3);
        var inverted = SyntheticDigits.Generate(20, seed: 3, new SyntheticDigitsOptions { Domain = DigitDomain.Inverted });
        var rotated = SyntheticDigits.Generate(20, seed: 3, new SyntheticDigitsOptions { Domain = DigitDomain.Rotated90 });
        Assert.Equal(plain.Y, inverted.Y);
        for (int i = 0; i < plain.X.Length; i++) Assert.Equal(1f - plain.X[i], inverted.X[i], 1e-6f);
        for (int n = 0; n < 20; n++)
            for (int r = 0; r < 28; r++)
                for (int c = 0; c < 28; c++)
                    Assert.Equal(plain.X[n * 784 + r * 28 + c], rotated.X[n * 784 + c * 28 + (27 - r)]);
    }

    [Fact]
    public void Digits_are_told_apart_by_their_average_images()
    {
        // A nearest-class-mean classifier fitted on one seed must do far better than chance on another:
        // the glyphs differ and the jitter does not destroy them.
        var train = SyntheticDigits.Generate(1000, seed: 11);
        var test = SyntheticDigits.Generate(300, seed: 12);
        var means = new double[10, 784];
        var trainLabels = SyntheticDigits.Labels(train);
        for (int i = 0; i < 1000; i++)
            for (int p = 0; p < 784; p++) means[trainLabels[i], p] += train.X[i * 784 + p] / 100.0;
        var testLabels = SyntheticDigits.Labels(test);
        int correct = 0;
        for (int i = 0; i < 300; i++)
        {
            int best = -1; double bestD = double.MaxValue;
            for (int k = 0; k < 10; k++)
            {
                double dist = 0;
                for (int p = 0; p < 784; p++) { double e = test.X[i * 784 + p] - means[k, p]; dist += e * e; }
                if (dist < bestD) { bestD = dist; best = k; }
            }
            if (best == testLabels[i]) correct++;
        }
        Assert.True(correct > 150, $"nearest-mean accuracy {correct}/300");
    }

    [Fact]
    public void Sparse_targets_are_class_indices()
    {
        var d = SyntheticDigits.Generate(30, seed: 2, new SyntheticDigitsOptions { OneHot = false });
        Assert.Equal(new long[] { 30 }, d.YShape);
        Assert.Equal(SyntheticDigits.Labels(d), SyntheticDigits.Labels(SyntheticDigits.Generate(30, seed: 2)));
    }

    [Fact]
    public void A_preview_grid_of_a_hundred_digits_shows_ten_rows_of_each_class()
    {
        // ZOO_DIGITS_PREVIEW names a file to keep the grid for a look; the checks run either way.
        var keep = Environment.GetEnvironmentVariable("ZOO_DIGITS_PREVIEW");
        using var dir = new Zoo.Formats.Tests.Support.TempDir();
        var path = keep ?? dir.File("digits.png");
        var d = SyntheticDigits.Generate(100, seed: 5);
        var labels = SyntheticDigits.Labels(d);
        var order = Enumerable.Range(0, 100).OrderBy(i => labels[i]).ToArray();
        var rgb = new byte[280 * 280 * 3];
        for (int t = 0; t < 100; t++)
            for (int r = 0; r < 28; r++)
                for (int c = 0; c < 28; c++)
                {
                    byte v = (byte)(255 * d.X[order[t] * 784 + r * 28 + c]);
                    int o = (((t / 10) * 28 + r) * 280 + (t % 10) * 28 + c) * 3;
                    rgb[o] = rgb[o + 1] = rgb[o + 2] = v;
                }
        using (var image = SixLabors.ImageSharp.Image.LoadPixelData<SixLabors.ImageSharp.PixelFormats.Rgb24>(rgb, 280, 280))
            SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, path);

        using var back = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(path);
        Assert.Equal((280, 280), (back.Width, back.Height));
        // Every tile holds a drawn digit: some ink, and far from all of it.
        for (int t = 0; t < 100; t++)
        {
            int ink = 0;
            for (int r = 0; r < 28; r++)
                for (int c = 0; c < 28; c++)
                    if (back[(t % 10) * 28 + c, (t / 10) * 28 + r].R > 128) ink++;
            Assert.InRange(ink, 20, 28 * 28 / 2);
        }
        // Sorted by label, ten samples of each class: one row per digit.
        Assert.Equal(Enumerable.Range(0, 10).SelectMany(k => Enumerable.Repeat(k, 10)), order.Select(i => labels[i]));
    }
}
