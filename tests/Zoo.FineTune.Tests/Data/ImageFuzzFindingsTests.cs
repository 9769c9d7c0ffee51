using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using Zoo.FineTune.Data;
using Zoo.FineTune.Tests.Fuzzing.Image;
using Zoo.Formats.Tests.Support;

namespace Zoo.FineTune.Tests.Data;

/// <summary>
/// What the image fuzz target found in the loader, one regression test each. Decoding runs on the test thread
/// (one file, straight through <see cref="ImageDecoder"/>), so the thread's allocation count is the decode's.
/// </summary>
public sealed class ImageFuzzFindingsTests : IDisposable
{
    private static readonly ImageLoadOptions Options = new() { Height = 8, Width = 8 };
    private readonly TempDir dir = new();

    [Fact]
    public void A_png_text_chunk_that_inflates_to_megabytes_is_not_inflated()
    {
        // Found as: png-rgb-7x5 > png:insert zTXt(65247), 1.7 GB allocated for a 64 KiB file.
        var png = Encode(new PngEncoder());
        var ztxt = ImageStructuralMutator.Chunk("zTXt", [.. "comment\0\0"u8, .. ImageStructuralMutator.ZlibZeros(16 << 20)]);
        var path = Write("bomb.png", [.. png[..33], .. ztxt, .. png[33..]]); // after the signature and IHDR

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool ok = ImageDecoder.TryDecode(path, Options, out var pixels, out var reason);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(ok, reason);
        Assert.Equal(8 * 8 * 3, pixels.Length);
        Assert.True(allocated < 8 << 20, $"decoding a {new FileInfo(path).Length:N0}-byte PNG allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_progressive_jpeg_of_thousands_of_empty_scans_is_skipped_before_decoding()
    {
        // Issue 15: 30,000 near-empty scans took about 2 ms each, with no limit.
        var path = Write("scans.jpg", ProgressiveJpeg.Build(64, 64, 3, (x, y) => ((byte)x, (byte)y, 0), emptyScans: 30_000));

        bool ok = ImageDecoder.TryDecode(path, Options, out _, out var reason);

        Assert.False(ok);
        Assert.Contains("scans", reason);
    }

    [Fact]
    public void A_progressive_jpeg_within_the_scan_limit_still_decodes()
    {
        var path = Write("few.jpg", ProgressiveJpeg.Build(16, 16, 3, (x, y) => ((byte)x, (byte)y, 0), emptyScans: 20));
        Assert.True(ImageDecoder.TryDecode(path, Options, out var pixels, out var reason), reason);
        Assert.Equal(8 * 8 * 3, pixels.Length);
    }

    [Fact]
    public void A_webp_chunk_declaring_more_bytes_than_the_file_holds_is_skipped_before_it_is_decoded()
    {
        // Found as: webp-lossy > webp:VP8 size=268435456: the decoder allocated the declared 256 MiB and then decoded the image.
        var webp = Encode(new WebpEncoder { FileFormat = WebpFileFormatType.Lossy });
        Assert.Equal("VP8 "u8.ToArray(), webp[12..16]);
        BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(16), 256u << 20);
        var path = Write("liar.webp", webp);

        bool ok = ImageDecoder.TryDecode(path, Options, out _, out var reason);

        Assert.False(ok);
        Assert.Contains("WebP chunk 'VP8 ' at byte 12 declares 268,435,456 bytes", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_webp_whose_chunks_all_fit_still_decodes()
    {
        var path = Write("fine.webp", Encode(new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }));
        Assert.True(ImageDecoder.TryDecode(path, Options, out _, out var reason), reason);
    }

    [Fact]
    public void A_png_relabelled_interlaced_without_data_for_the_seven_passes_is_skipped_instead_of_hanging()
    {
        // Found as: png-grey-1bit > png:IHDR[12]=1: ImageSharp's Adam7 decoder never returned.
        var png = ImageSeeds.All.Single(s => s.Name == "png-grey-1bit").Bytes.ToArray();
        png[28] = 1;
        var (ok, reason) = DecodeOrHang(Write("relabelled.png", FixIhdrCrc(png)));
        Assert.False(ok);
        Assert.Contains("interlaced PNG image data is incomplete: the 17×3 image needs", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interlaced_png_widened_in_its_header_is_skipped_instead_of_hanging()
    {
        // Found as: png-adam7 > png:IHDR 16384x1.
        var png = Encode(new PngEncoder { ColorType = PngColorType.RgbWithAlpha, InterlaceMethod = PngInterlaceMode.Adam7 }, 19, 13);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), 16384);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), 1);
        var (ok, reason) = DecodeOrHang(Write("widened.png", FixIhdrCrc(png)));
        Assert.False(ok);
        Assert.Contains("interlaced PNG image data is incomplete: the 16384×1 image", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_one_pixel_interlaced_png_is_skipped_instead_of_hanging()
    {
        // Found as: png-rgb-1x1 > png:IHDR[12]=1. Its data is complete by the PNG specification, but ImageSharp's decoder
        // expects a scanline for a pass that has no rows (after a pass with no columns) and waits for it forever.
        var png = ImageSeeds.All.Single(s => s.Name == "png-rgb-1x1").Bytes.ToArray();
        png[28] = 1;
        var (ok, reason) = DecodeOrHang(Write("one-pixel.png", FixIhdrCrc(png)));
        Assert.False(ok);
        Assert.True(reason.Contains("interlaced PNG image data is incomplete: the 1×1 image needs 16 bytes, the file's data inflates to 4", StringComparison.Ordinal), reason);
    }

    [Fact]
    public void A_bmp_whose_pixel_data_offset_lies_past_the_end_is_skipped_before_it_is_decoded()
    {
        // Found as: bmp-16 > bmp:[10]=2147483647: 1.6 GB requested for a 153-byte file.
        var bmp = ImageSeeds.All.Single(s => s.Name == "bmp-16").Bytes.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bmp.AsSpan(10), int.MaxValue);
        var path = Write("far.bmp", bmp);

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool ok = ImageDecoder.TryDecode(path, Options, out _, out var reason);

        Assert.False(ok);
        Assert.Contains("BMP pixel data offset 2,147,483,647 is past the end of the", reason, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 << 20);
    }

    [Fact]
    public void A_complete_interlaced_png_still_decodes()
    {
        var path = Write("adam7.png", Encode(new PngEncoder { ColorType = PngColorType.RgbWithAlpha, InterlaceMethod = PngInterlaceMode.Adam7 }, 19, 13));
        var (ok, reason) = DecodeOrHang(path);
        Assert.True(ok, reason);
    }

    /// <summary>Decodes on a background thread so that a regression shows as a failed test, not a test run that never ends.</summary>
    private static (bool Ok, string Reason) DecodeOrHang(string path)
    {
        (bool, string) result = default;
        var worker = new Thread(() => result = (ImageDecoder.TryDecode(path, Options, out _, out var why), why)) { IsBackground = true };
        worker.Start();
        Assert.True(worker.Join(TimeSpan.FromSeconds(60)), "the decoder was still running after a minute on a file of a few hundred bytes");
        return result;
    }

    private static byte[] FixIhdrCrc(byte[] png)
    {
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), ImageStructuralMutator.Crc32(png.AsSpan(12, 17)));
        return png;
    }

    private static byte[] Encode(SixLabors.ImageSharp.Formats.IImageEncoder encoder, int w = 16, int h = 12)
    {
        using var image = new Image<Rgb24>(w, h, new Rgb24(200, 40, 90));
        for (int y = 0; y < h; y++) image[y % w, y] = new Rgb24((byte)(y * 20), 255, 0);
        using var ms = new MemoryStream();
        image.Save(ms, encoder);
        return ms.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        var path = dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => dir.Dispose();
}
