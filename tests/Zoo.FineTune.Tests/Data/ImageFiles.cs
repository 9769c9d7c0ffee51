using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using Zoo.FineTune.Fitting;

namespace Zoo.FineTune.Tests.Data;

/// <summary>Writes small images (every format ImageSharp encodes) and deliberately broken files for the loader tests.</summary>
internal static class ImageFiles
{
    /// <summary>A <paramref name="w"/>×<paramref name="h"/> image whose pixel (x, y) is <paramref name="color"/>(x, y), saved in the format of the extension.</summary>
    public static string Write(string path, int w, int h, Func<int, int, (byte R, byte G, byte B)> color)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var img = new Image<Rgb24>(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (r, g, b) = color(x, y);
                img[x, y] = new Rgb24(r, g, b);
            }
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".png": img.SaveAsPng(path); break;
            case ".jpg" or ".jpeg": img.SaveAsJpeg(path); break;
            case ".bmp": img.SaveAsBmp(path); break;
            case ".gif": img.SaveAsGif(path); break;
            case ".webp": img.SaveAsWebp(path, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }); break;
            default: throw new ArgumentException(path);
        }
        return path;
    }

    /// <summary>A solid-colour image.</summary>
    public static string Solid(string path, int w, int h, byte r, byte g, byte b) => Write(path, w, h, (_, _) => (r, g, b));

    /// <summary>A JPEG cut off halfway through its scan.</summary>
    public static string TruncatedJpeg(string path)
    {
        var full = Write(path + ".full.jpg", 64, 64, (x, y) => ((byte)(x * 37 ^ y * 11), (byte)(x * y), (byte)(x + 7 * y)));
        var bytes = File.ReadAllBytes(full);
        File.Delete(full);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        return path;
    }

    /// <summary>A valid PNG signature and IHDR declaring <paramref name="w"/>×<paramref name="h"/> RGB, then a tiny IDAT and IEND.</summary>
    public static string HugeHeaderPng(string path, int w, int h)
    {
        using var s = new MemoryStream();
        s.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, w);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), h);
        ihdr[8] = 8;
        ihdr[9] = 2;
        Chunk(s, "IHDR", ihdr);
        Chunk(s, "IDAT", new byte[] { 0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 });
        Chunk(s, "IEND", Array.Empty<byte>());
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, s.ToArray());
        return path;
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var len = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var t = System.Text.Encoding.ASCII.GetBytes(type);
        s.Write(t);
        s.Write(data);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc(t, data));
        s.Write(crc);
    }

    /// <summary>A PNG chunk's CRC-32 over its type and data (crafted files need valid chunks to reach the checks under test).</summary>
    private static uint Crc(byte[] type, byte[] data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (var b in type.Concat(data))
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        return c ^ 0xFFFFFFFFu;
    }
}
