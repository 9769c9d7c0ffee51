using Zoo.FineTune.Data;
using Zoo.Formats;
using Zoo.Formats.Tests.Support;

namespace Zoo.FineTune.Tests.Data;

/// <summary>Loading a folder of class folders: class order, every format, bad files skipped with reasons, typed errors.</summary>
public class ImageFolderTests
{
    private static ImageLoadOptions Options(int size = 4, int channels = 3, ImagePreprocessing p = ImagePreprocessing.None, bool shuffle = false)
        => new() { Height = size, Width = size, Channels = channels, Preprocess = p, Shuffle = shuffle };

    [Fact]
    public void Classes_are_the_folder_names_in_ordinal_order_and_every_format_decodes()
    {
        using var dir = new TempDir();
        // Ordinal order puts "Zebra" before "ant": the class index follows it, as Keras's sorted() does.
        foreach (var ext in new[] { ".png", ".jpg", ".bmp", ".gif", ".webp" })
            ImageFiles.Solid(dir.File($"ant/a{ext}"), 6, 5, 255, 0, 0);
        ImageFiles.Solid(dir.File("Zebra/z.png"), 3, 3, 0, 0, 255);
        var data = ImageFolder.Load(dir.Path, Options());
        Assert.Equal(new[] { "Zebra", "ant" }, data.ClassNames);
        Assert.Empty(data.Skipped);
        Assert.Equal(6, data.Count);
        Assert.Equal(new long[] { 6, 4, 4, 3 }, data.Samples.XShape);
        Assert.Equal(new long[] { 6, 2 }, data.Samples.YShape);
        for (int s = 0; s < 6; s++)
        {
            bool zebra = data.Files[s].EndsWith("z.png", StringComparison.Ordinal);
            Assert.Equal(zebra ? 0 : 1, data.Labels[s]);
            Assert.Equal(zebra ? new float[] { 1, 0 } : new float[] { 0, 1 }, data.Samples.Y[(s * 2)..(s * 2 + 2)]);
            // A solid image stays solid through resizing; JPEG may move a red pixel by a few levels.
            float red = data.Samples.X[s * 48], blue = data.Samples.X[s * 48 + 2];
            Assert.InRange(zebra ? blue : red, 245f, 255f);
            Assert.InRange(zebra ? red : blue, 0f, 10f);
        }
    }

    [Fact]
    public void Corrupt_unsupported_and_oversized_files_are_skipped_with_their_reasons_and_the_rest_load()
    {
        using var dir = new TempDir();
        ImageFiles.Solid(dir.File("a/good.png"), 4, 4, 1, 2, 3);
        ImageFiles.TruncatedJpeg(dir.File("a/truncated.jpg"));
        File.WriteAllText(dir.File("a/notes.png"), "this is text, not a PNG");
        ImageFiles.HugeHeaderPng(dir.File("b/bomb.png"), 100_000, 100_000);
        ImageFiles.Solid(dir.File("b/good.bmp"), 4, 4, 4, 5, 6);
        File.WriteAllText(dir.File("b/readme.txt"), "not an image");
        File.WriteAllText(dir.File("stray.jpg"), "outside any class folder");
        var data = ImageFolder.Load(dir.Path, Options());
        Assert.Equal(2, data.Count);
        string Reason(string name) => Assert.Single(data.Skipped, s => Path.GetFileName(s.File) == name).Reason;
        Assert.Contains("truncated JPEG", Reason("truncated.jpg"), StringComparison.Ordinal);
        Assert.Contains("not a JPEG, PNG, BMP, GIF or WebP image", Reason("notes.png"), StringComparison.Ordinal);
        Assert.Contains("declares 100000×100000 = 10,000,000,000 pixels, more than the limit of 40,000,000", Reason("bomb.png"), StringComparison.Ordinal);
        Assert.Contains("extension '.txt'", Reason("readme.txt"), StringComparison.Ordinal);
        Assert.Contains("not inside a class folder", Reason("stray.jpg"), StringComparison.Ordinal);
        Assert.Equal(5, data.Skipped.Count);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_skipped_before_it_is_decoded()
    {
        using var dir = new TempDir();
        ImageFiles.Solid(dir.File("a/small.png"), 2, 2, 0, 0, 0);
        ImageFiles.Write(dir.File("a/noisy.png"), 64, 64, (x, y) => ((byte)(x * 37 ^ y * 11), (byte)(x * y), (byte)(x + 7 * y)));
        long limit = new FileInfo(dir.File("a/noisy.png")).Length - 1;
        var data = ImageFolder.Load(dir.Path, new ImageLoadOptions { Height = 2, Width = 2, MaxFileBytes = limit });
        Assert.Equal(1, data.Count);
        Assert.Contains($"more than the limit of {limit:N0}", Assert.Single(data.Skipped).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_class_folder_is_an_error_naming_it_unless_empty_classes_are_allowed()
    {
        using var dir = new TempDir();
        ImageFiles.Solid(dir.File("cats/c.png"), 2, 2, 9, 9, 9);
        Directory.CreateDirectory(dir.File("dogs"));
        var e = Assert.Throws<ModelFormatException>(() => ImageFolder.Load(dir.Path, Options()));
        Assert.Equal(dir.File("dogs"), e.File);
        Assert.Contains("class folder 'dogs' has no readable image", e.Message, StringComparison.Ordinal);
        var data = ImageFolder.Load(dir.Path, new ImageLoadOptions { Height = 2, Width = 2, AllowEmptyClasses = true });
        Assert.Equal(new[] { "cats", "dogs" }, data.ClassNames);
        Assert.Equal(new long[] { 1, 2 }, data.Samples.YShape);
    }

    [Fact]
    public void A_folder_without_classes_or_without_one_readable_image_is_an_error_naming_the_folder()
    {
        using var dir = new TempDir();
        var none = Assert.Throws<ModelFormatException>(() => ImageFolder.Load(dir.Path, Options()));
        Assert.Equal(dir.Path, none.File);
        Assert.Contains("no class subfolders", none.Message, StringComparison.Ordinal);
        Directory.CreateDirectory(dir.File("a"));
        File.WriteAllText(dir.File("a/broken.jpg"), "garbage");
        var unreadable = Assert.Throws<ModelFormatException>(() => ImageFolder.Load(dir.Path, Options()));
        Assert.Equal(dir.Path, unreadable.File);
        Assert.Contains("no readable image", unreadable.Message, StringComparison.Ordinal);
        Assert.Throws<ModelFormatException>(() => ImageFolder.Load(dir.File("missing"), Options()));
    }

    [Fact]
    public void Shuffling_is_seeded_and_keeps_each_image_with_its_label()
    {
        using var dir = new TempDir();
        for (int i = 0; i < 6; i++) ImageFiles.Solid(dir.File($"{(i % 2 == 0 ? "even" : "odd")}/{i}.png"), 2, 2, (byte)(i * 40), 0, 0);
        var o = new ImageLoadOptions { Height = 2, Width = 2, Seed = 5 };
        var a = ImageFolder.Load(dir.Path, o);
        var b = ImageFolder.Load(dir.Path, o);
        Assert.Equal(a.Files, b.Files);
        Assert.NotEqual(a.Files, a.Files.Order(StringComparer.Ordinal));
        for (int s = 0; s < 6; s++)
        {
            int i = int.Parse(Path.GetFileNameWithoutExtension(a.Files[s]));
            Assert.Equal(i % 2 == 0 ? 0 : 1, a.Labels[s]);
            Assert.Equal(i * 40f, a.Samples.X[s * 12]);
        }
    }
}
