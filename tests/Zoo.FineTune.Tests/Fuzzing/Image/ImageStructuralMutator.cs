using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Zoo.Formats.Tests.Fuzzing;

namespace Zoo.FineTune.Tests.Fuzzing.Image;

/// <summary>
/// Image-aware mutations, chosen by the seed's magic bytes: the header fields that decoders allocate from
/// (dimensions, chunk and segment lengths, frame sizes, bit depths) set to zero, huge or inconsistent values,
/// structures removed, duplicated or inserted, with checksums recomputed so the lie gets past the CRC check
/// (or deliberately broken). PNG lives here; JPEG and GIF in <see cref="JpegGifMutations"/>; BMP and WebP in
/// <see cref="BmpWebpMutations"/>.
/// </summary>
public sealed class ImageStructuralMutator : IStructuralMutator
{
    /// <inheritdoc/>
    public FuzzInput? Mutate(FuzzInput input, Random random)
    {
        var b = input.Bytes;
        string? what = null;
        byte[]? result = b switch
        {
            _ when b.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]) => Png(b, random, out what),
            _ when b.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8]) => JpegGifMutations.Jpeg(b, random, out what),
            _ when b.AsSpan().StartsWith("GIF"u8) => JpegGifMutations.Gif(b, random, out what),
            _ when b.AsSpan().StartsWith("BM"u8) => BmpWebpMutations.Bmp(b, random, out what),
            _ when b.AsSpan().StartsWith("RIFF"u8) => BmpWebpMutations.Webp(b, random, out what),
            _ => null,
        };
        return result is null ? null : input.With(what!, result);
    }

    /// <summary>Dimensions that lie: zero, one, past every limit, past 16, 24 and 31 bits, and just inside the fuzz pixel limit.</summary>
    public static long Dimension(Random r) => r.Next(12) switch
    {
        0 => 0,
        1 => 1,
        2 => 0xFFFF,
        3 => 0x7FFFFFFF,
        4 => 0xFFFFFFFF,
        5 => 0x80000000,
        6 => 1 << 20,
        7 => 30_000,
        8 => 1_900,
        9 => 16_384,
        10 => 0xFFFFFF,
        _ => r.Next(1, 5_000),
    };

    /// <summary>Writes <paramref name="value"/>'s low <paramref name="width"/> bytes at <paramref name="at"/> (no-op past the end).</summary>
    public static void Put(byte[] b, int at, int width, long value, bool bigEndian)
    {
        for (int i = 0; i < width && at + i < b.Length; i++)
            b[at + i] = (byte)(value >> (8 * (bigEndian ? width - 1 - i : i)));
    }

    /// <summary>zlib data of <paramref name="n"/> zero bytes: a few KiB that inflate to megabytes (a decompression bomb).</summary>
    public static byte[] ZlibZeros(int n)
    {
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 16];
            for (int left = n; left > 0; left -= zeros.Length) z.Write(zeros, 0, Math.Min(left, zeros.Length));
        }
        return ms.ToArray();
    }

    private static readonly Lazy<byte[]> Bomb = new(() => ZlibZeros(64 << 20));

    private static byte[]? Png(byte[] src, Random r, out string what)
    {
        var chunks = PngChunks(src);
        what = "png";
        if (chunks.Count == 0) return null;
        var b = (byte[])src.Clone();
        var ihdr = chunks.Find(c => c.Type == "IHDR");
        var pick = chunks[r.Next(chunks.Count)];
        switch (r.Next(8))
        {
            case 0 when ihdr.Type is not null:
            {
                long w = r.Next(3) == 0 ? ReadBe(b, ihdr.Offset + 8) : Dimension(r), h = r.Next(3) == 1 ? ReadBe(b, ihdr.Offset + 12) : Dimension(r);
                Put(b, ihdr.Offset + 8, 4, w, true);
                Put(b, ihdr.Offset + 12, 4, h, true);
                bool fixCrc = r.Next(5) > 0;
                if (fixCrc) FixCrc(b, ihdr);
                what = $"png:IHDR {w}x{h}{(fixCrc ? "" : " bad-crc")}";
                return b;
            }
            case 1 when ihdr.Type is not null:
            {
                int field = 16 + r.Next(5); // bit depth, colour type, compression, filter, interlace
                byte v = new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 32, 255 }[r.Next(12)];
                b[ihdr.Offset + 8 + field - 8] = v;
                FixCrc(b, ihdr);
                what = $"png:IHDR[{field - 8}]={v}";
                return b;
            }
            case 2:
            {
                long len = new long[] { 0x7FFFFFFF, 0xFFFFFFFF, 0x80000000, pick.Length + 1, src.Length * 1000L, 0x10000000 }[r.Next(6)];
                Put(b, pick.Offset, 4, len, true);
                what = $"png:{pick.Type} length={len}";
                return b;
            }
            case 3:
                b[pick.Offset + 8 + pick.Length + r.Next(4)] ^= (byte)(1 << r.Next(8));
                what = $"png:{pick.Type} bad-crc";
                return b;
            case 4:
                what = $"png:remove {pick.Type}";
                return [.. src[..pick.Offset], .. src[(pick.Offset + 12 + pick.Length)..]];
            case 5:
            {
                int times = r.Next(2) == 0 ? 1 : r.Next(2, 300);
                var copy = src.AsSpan(pick.Offset, 12 + pick.Length).ToArray();
                what = $"png:duplicate {pick.Type} x{times}";
                return [.. src[..pick.Offset], .. Enumerable.Repeat(copy, times).SelectMany(c => c), .. src[pick.Offset..]];
            }
            default:
            {
                var (type, data) = InsertedChunk(r);
                var at = chunks[Math.Min(chunks.Count - 1, 1 + r.Next(Math.Max(1, chunks.Count - 1)))].Offset;
                what = $"png:insert {type}({data.Length})";
                return [.. src[..at], .. Chunk(type, data), .. src[at..]];
            }
        }
    }

    private static (string Type, byte[] Data) InsertedChunk(Random r) => r.Next(9) switch
    {
        0 => ("IDAT", Bomb.Value), // inflates to 64 MiB, far past what a small IHDR needs
        1 => ("zTXt", [.. "comment\0\0"u8, .. Bomb.Value]),
        2 => ("iCCP", [.. "icc\0\0"u8, .. ZlibZeros(1 << 20)]),
        3 => ("PLTE", new byte[r.Next(2) == 0 ? 0 : 3 * r.Next(257, 400)]),
        4 => ("tRNS", new byte[r.Next(1, 600)]),
        5 => ("iTXt", [.. "k\0\u0001\0en\0\0"u8, .. Bomb.Value]),
        6 => ("eXIf", Garbage(r, r.Next(4, 300))),
        7 => ("acTL", [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]),
        _ => ("zzZz", Garbage(r, r.Next(1, 4096))),
    };

    private static byte[] Garbage(Random r, int n)
    {
        var g = new byte[n];
        r.NextBytes(g);
        if (r.Next(2) == 0) g.AsSpan(0, Math.Min(4, n)).Fill(0xFF);
        return g;
    }

    /// <summary>A chunk: length, type, data, CRC over type and data.</summary>
    public static byte[] Chunk(string type, byte[] data)
    {
        var t = Encoding.ASCII.GetBytes(type);
        var c = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(c, data.Length);
        t.CopyTo(c, 4);
        data.CopyTo(c, 8);
        BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(8 + data.Length), Crc32(c.AsSpan(4, 4 + data.Length)));
        return c;
    }

    private record struct PngChunk(int Offset, int Length, string Type);

    private static List<PngChunk> PngChunks(byte[] b)
    {
        var list = new List<PngChunk>();
        for (int at = 8; at + 12 <= b.Length;)
        {
            long len = ReadBe(b, at);
            if (at + 12 + len > b.Length) break;
            list.Add(new PngChunk(at, (int)len, Encoding.ASCII.GetString(b, at + 4, 4)));
            at += 12 + (int)len;
        }
        return list;
    }

    private static long ReadBe(byte[] b, int at) => BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at));

    private static void FixCrc(byte[] b, PngChunk c)
        => BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(c.Offset + 8 + c.Length), Crc32(b.AsSpan(c.Offset + 4, 4 + c.Length)));

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    /// <summary>The CRC-32 PNG chunks carry.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (var x in data) c = CrcTable[(c ^ x) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFF;
    }
}
