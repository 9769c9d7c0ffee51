using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;

namespace Zoo.FineTune.Data;

/// <summary>
/// Decodes one untrusted image file into resized float pixels. The size is checked before reading, the
/// dimensions are read from the header before decoding, only JPEG, PNG, BMP, GIF and WebP decoders are
/// registered, and only the first frame of an animation is decoded; every failure becomes a reason, never
/// an exception.
/// </summary>
public static class ImageDecoder
{
    // TF's rgb_to_grayscale weights, so a grayscale model sees what Keras's color_mode="grayscale" gives.
    private const float RedWeight = 0.2989f, GreenWeight = 0.587f, BlueWeight = 0.114f;

    private static readonly Configuration Decoders = CreateConfiguration();

    private static Configuration CreateConfiguration()
    {
        var c = new Configuration(new JpegConfigurationModule(), new PngConfigurationModule(), new BmpConfigurationModule(),
            new GifConfigurationModule(), new WebpConfigurationModule());
        // Metadata is never used here, and decoding it is unbounded: a 64 KiB zTXt chunk inflates to gigabytes of text.
        c.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First, IgnoreMetadata = true });
        c.ImageFormatsManager.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });
        c.ImageFormatsManager.SetDecoder(JpegFormat.Instance, new JpegDecoder { IgnoreMetadata = true });
        c.ImageFormatsManager.SetDecoder(WebpFormat.Instance, new WebpDecoder { IgnoreMetadata = true });
        return c;
    }

    /// <summary>
    /// Decodes <paramref name="path"/>, converts it to <see cref="ImageLoadOptions.Channels"/> channels and resizes
    /// it (bilinear, half-pixel centres) to <see cref="ImageLoadOptions.Height"/>×<see cref="ImageLoadOptions.Width"/>;
    /// pixels stay in [0, 255], not yet preprocessed. On failure returns false with the reason.
    /// </summary>
    public static bool TryDecode(string path, ImageLoadOptions options, out float[] pixels, out string reason)
    {
        pixels = Array.Empty<float>();
        byte[] bytes;
        try
        {
            bytes = ReadBounded(path, options.MaxFileBytes);
        }
        catch (FileTooLarge e)
        {
            reason = e.Message;
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"unreadable: {e.Message}";
            return false;
        }
        try
        {
            // The WebP and BMP decoders allocate from declared sizes before reading, even to identify the image.
            if ((WebpChunks.FirstOverlong(bytes) ?? BmpHeader.Inconsistent(bytes)) is { } lying)
            {
                reason = lying;
                return false;
            }
            var info = Image.Identify(Decoders, bytes, out var format);
            if (info is null || format is null)
            {
                reason = "not a JPEG, PNG, BMP, GIF or WebP image";
                return false;
            }
            long declared = (long)info.Width * info.Height;
            if (info.Width < 1 || info.Height < 1 || declared > options.MaxPixels)
            {
                reason = $"{format.Name} header declares {info.Width}×{info.Height} = {declared:N0} pixels, more than the limit of {options.MaxPixels:N0}";
                return false;
            }
            int scans = format == JpegFormat.Instance ? Markers(bytes, 0xDA) : 0;
            if (scans > options.MaxJpegScans)
            {
                reason = $"JPEG has {scans:N0} scans, more than the limit of {options.MaxJpegScans:N0} (each scan is a pass over the whole image)";
                return false;
            }
            if (format == JpegFormat.Instance && IsTruncatedJpeg(bytes))
            {
                // The decoder would fill the missing scan with grey, as libjpeg does; TF refuses such files, and so do we.
                reason = "truncated JPEG: no end-of-image marker after the last scan";
                return false;
            }
            if (format == PngFormat.Instance && PngInterlace.Incomplete(bytes) is { } incomplete)
            {
                reason = incomplete;
                return false;
            }
            if (IsAnimatedWebp(bytes))
            {
                // This WebP decoder holds every frame in memory and cannot stop after the first.
                reason = "animated WebP is not read (only still WebP images are)";
                return false;
            }
            using var image = LoadWithin(bytes, options.MaxDecodeTime);
            var rgb = new byte[(long)image.Width * image.Height * 3];
            image.CopyPixelDataTo(rgb);
            // Luma is linear and so is bilinear resizing: resizing RGB first gives the same grey values, on the small image.
            var resized = BilinearResize.Resize(rgb, image.Height, image.Width, 3, options.Height, options.Width);
            pixels = options.Channels == 1 ? ToGray(resized) : resized;
            reason = "";
            return true;
        }
        catch (OperationCanceledException)
        {
            reason = $"still decoding after {options.MaxDecodeTime.TotalSeconds:0.#} s, the decode time limit";
            return false;
        }
        catch (Exception e)
        {
            // Decoder libraries throw many types on hostile input (format, memory, index errors); each one means "skip this file".
            reason = $"cannot be decoded ({e.GetType().Name}: {e.Message})";
            return false;
        }
    }

    /// <summary>Decodes with a deadline: the decoders check for cancellation between markers and rows.</summary>
    private static Image<Rgb24> LoadWithin(byte[] bytes, TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        using var stream = new MemoryStream(bytes, writable: false);
        return Image.LoadAsync<Rgb24>(Decoders, stream, deadline.Token).GetAwaiter().GetResult();
    }

    /// <summary>
    /// How many times marker FF <paramref name="code"/> occurs. Inside entropy-coded data FF is always followed by
    /// 00 or a restart marker, so for start-of-scan (DA) this counts the scans without parsing the file.
    /// </summary>
    private static int Markers(byte[] b, byte code)
    {
        int count = 0;
        var span = b.AsSpan();
        for (int i = span.IndexOf((byte)0xFF); i >= 0 && i + 1 < span.Length; )
        {
            if (span[i + 1] == code) count++;
            int next = span[(i + 1)..].IndexOf((byte)0xFF);
            i = next < 0 ? -1 : i + 1 + next;
        }
        return count;
    }

    /// <summary>
    /// No EOI marker (FF D9) after the last SOS marker (FF DA). Inside entropy-coded data FF is always followed by
    /// 00 or a restart marker, so both byte pairs can only be real markers there.
    /// </summary>
    private static bool IsTruncatedJpeg(byte[] b)
    {
        var span = b.AsSpan();
        int sos = span.LastIndexOf((ReadOnlySpan<byte>)[0xFF, 0xDA]);
        int eoi = span.LastIndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]);
        return sos < 0 || eoi < sos;
    }

    /// <summary>A WebP whose VP8X header sets the animation flag (RIFF, size, WEBP, VP8X, chunk size, flags).</summary>
    private static bool IsAnimatedWebp(byte[] b)
        => b.Length > 20 && b.AsSpan(0, 4).SequenceEqual("RIFF"u8) && b.AsSpan(8, 8).SequenceEqual("WEBPVP8X"u8) && (b[20] & 0x02) != 0;

    private static float[] ToGray(float[] rgb)
    {
        var gray = new float[rgb.Length / 3];
        for (int i = 0; i < gray.Length; i++) gray[i] = RedWeight * rgb[3 * i] + GreenWeight * rgb[3 * i + 1] + BlueWeight * rgb[3 * i + 2];
        return gray;
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; a longer file (or a device that never ends) is refused.</summary>
    private static byte[] ReadBounded(string path, long limit)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.CanSeek && stream.Length > limit) throw new FileTooLarge($"file is {stream.Length:N0} bytes, more than the limit of {limit:N0}");
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + n > limit) throw new FileTooLarge($"file is more than the limit of {limit:N0} bytes");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    private sealed class FileTooLarge(string message) : Exception(message);
}
