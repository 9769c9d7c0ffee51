using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using Zoo.Formats.Tests.Fuzzing;

namespace Zoo.FineTune.Tests.Fuzzing.Image;

/// <summary>
/// Small images of every format the loader reads, written by ImageSharp in code (no files in the repository):
/// odd and even sizes, every PNG colour type and several bit depths (palette, grey, alpha, 16-bit, Adam7),
/// JPEG subsamplings and grey, a hand-built progressive JPEG (ImageSharp 2 encodes baseline only), BMP bit
/// depths, one- and three-frame GIFs, and lossless, lossy and alpha WebP.
/// </summary>
public static class ImageSeeds
{
    private static readonly Lazy<IReadOnlyList<FuzzInput>> Built = new(() => Make().ToList());

    /// <summary>Every seed (built once per process; a few hundred KiB in all).</summary>
    public static IReadOnlyList<FuzzInput> All => Built.Value;

    private static IEnumerable<FuzzInput> Make()
    {
        foreach (var (w, h) in new[] { (1, 1), (7, 5), (16, 16), (33, 20) })
        {
            yield return Seed($"png-rgb-{w}x{h}", w, h, new PngEncoder { ColorType = PngColorType.Rgb });
            yield return Seed($"jpeg-420-{w}x{h}", w, h, new JpegEncoder { ColorType = JpegColorType.YCbCrRatio420, Quality = 75 });
            yield return Seed($"bmp-24-{w}x{h}", w, h, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 });
            yield return Seed($"webp-lossless-{w}x{h}", w, h, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
        }
        yield return Seed("png-palette-4bit", 12, 9, new PngEncoder { ColorType = PngColorType.Palette, BitDepth = PngBitDepth.Bit4 });
        yield return Seed("png-palette-8bit", 20, 14, new PngEncoder { ColorType = PngColorType.Palette, BitDepth = PngBitDepth.Bit8 });
        yield return Seed("png-grey-1bit", 17, 3, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit1 });
        yield return Seed("png-grey-16bit", 9, 9, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit16 });
        yield return Seed("png-grey-alpha", 10, 6, new PngEncoder { ColorType = PngColorType.GrayscaleWithAlpha });
        yield return Seed("png-rgba-16bit", 8, 11, new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit16 });
        yield return Seed("png-adam7", 19, 13, new PngEncoder { ColorType = PngColorType.RgbWithAlpha, InterlaceMethod = PngInterlaceMode.Adam7 });
        yield return Seed("jpeg-444", 24, 16, new JpegEncoder { ColorType = JpegColorType.YCbCrRatio444, Quality = 90 });
        yield return Seed("jpeg-422", 24, 16, new JpegEncoder { ColorType = JpegColorType.YCbCrRatio422, Quality = 50 });
        yield return Seed("jpeg-grey", 21, 13, new JpegEncoder { ColorType = JpegColorType.Luminance });
        yield return Seed("jpeg-cmyk", 16, 8, new JpegEncoder { ColorType = JpegColorType.Cmyk });
        yield return new FuzzInput("jpeg-progressive-rgb", ProgressiveJpeg.Build(24, 16, 3, Pixel));
        yield return new FuzzInput("jpeg-progressive-grey", ProgressiveJpeg.Build(40, 9, 1, Pixel));
        yield return Seed("bmp-8bit-palette", 13, 7, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel8 });
        yield return Seed("bmp-32", 6, 6, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel32, SupportTransparency = true });
        yield return Seed("bmp-16", 9, 4, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel16 });
        yield return Seed("bmp-1bit", 17, 5, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel1 });
        yield return Seed("gif-still", 15, 10, new GifEncoder());
        yield return Seed("gif-animated-3", 12, 12, new GifEncoder(), frames: 3);
        yield return Seed("gif-local-tables", 9, 7, new GifEncoder { ColorTableMode = GifColorTableMode.Local }, frames: 2);
        yield return Seed("webp-lossy", 20, 12, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 60 });
        yield return Seed("webp-lossy-alpha", 16, 16, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy }, alpha: true);
        yield return Seed("webp-lossless-alpha", 11, 9, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }, alpha: true);
    }

    private static (byte R, byte G, byte B) Pixel(int x, int y) => ((byte)(x * 37 ^ y * 11), (byte)(x * y * 5), (byte)(x + 7 * y));

    private static FuzzInput Seed(string name, int w, int h, IImageEncoder encoder, int frames = 1, bool alpha = false)
    {
        using var image = new Image<Rgba32>(w, h);
        Paint(image.Frames.RootFrame, 0, alpha);
        for (int f = 1; f < frames; f++)
        {
            using var next = new Image<Rgba32>(w, h);
            Paint(next.Frames.RootFrame, f, alpha);
            image.Frames.AddFrame(next.Frames.RootFrame);
        }
        using var ms = new MemoryStream();
        image.Save(ms, encoder);
        return new FuzzInput(name, ms.ToArray());
    }

    private static void Paint(ImageFrame<Rgba32> frame, int shift, bool alpha)
    {
        for (int y = 0; y < frame.Height; y++)
            for (int x = 0; x < frame.Width; x++)
            {
                var (r, g, b) = Pixel(x + shift * 3, y);
                frame[x, y] = new Rgba32(r, g, b, alpha ? (byte)(x * 255 / Math.Max(1, frame.Width - 1)) : (byte)255);
            }
    }
}
