using System.Buffers.Binary;
using System.Text;
using static Zoo.FineTune.Tests.Fuzzing.Image.ImageStructuralMutator;

namespace Zoo.FineTune.Tests.Fuzzing.Image;

/// <summary>
/// BMP: header sizes, pixel-data offsets, widths, negative (top-down) and huge heights, bit counts,
/// compressions (RLE, bitfields, embedded JPEG/PNG) and palette sizes. WebP: RIFF and chunk sizes, VP8X
/// flags (animation, alpha, ICC) and canvas size, VP8L and VP8 frame dimensions, chunks removed, and
/// ANIM/ANMF/ALPH chunks inserted into still images.
/// </summary>
public static class BmpWebpMutations
{
    /// <summary>A structurally mutated copy of a BMP, or null when it is shorter than its headers.</summary>
    public static byte[]? Bmp(byte[] src, Random r, out string what)
    {
        what = "bmp";
        if (src.Length < 54) return null;
        var b = (byte[])src.Clone();
        var (at, width, value) = r.Next(9) switch
        {
            0 => (18, 4, SignedDimension(r)),
            1 => (22, 4, SignedDimension(r)),
            2 => (14, 4, new long[] { 0, 12, 16, 40, 52, 56, 64, 108, 124, 0xFFFF, 0xFFFFFFFF }[r.Next(11)]),
            3 => (28, 2, new long[] { 0, 1, 2, 3, 4, 5, 8, 15, 16, 24, 32, 48, 64, 0xFFFF }[r.Next(14)]),
            4 => (30, 4, new long[] { 0, 1, 2, 3, 4, 5, 6, 11, 0xFFFFFFFF }[r.Next(9)]),
            5 => (46, 4, new long[] { 0, 1, 256, 257, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF }[r.Next(7)]),
            6 => (10, 4, new long[] { 0, 14, 54, src.Length, src.Length + 1L, 0x7FFFFFFF, 0xFFFFFFFF }[r.Next(7)]),
            7 => (2, 4, new long[] { 0, 1, src.Length * 1000L, 0xFFFFFFFF }[r.Next(4)]),
            _ => (26, 2, new long[] { 0, 2, 0xFFFF }[r.Next(3)]),
        };
        Put(b, at, width, value, false);
        what = $"bmp:[{at}]={value}";
        return b;
    }

    private static long SignedDimension(Random r) => r.Next(4) == 0
        ? new long[] { -1, int.MinValue, -65535, -30_000, -(1 << 20) }[r.Next(5)]
        : Dimension(r);

    private record struct Chunk(int Offset, string FourCc, int Size);

    /// <summary>A structurally mutated copy of a WebP, or null when it has no chunk to work on.</summary>
    public static byte[]? Webp(byte[] src, Random r, out string what)
    {
        what = "webp";
        var chunks = Chunks(src);
        if (chunks.Count == 0) return null;
        var b = (byte[])src.Clone();
        var pick = chunks[r.Next(chunks.Count)];
        var vp8x = chunks.Find(c => c.FourCc == "VP8X");
        var image = chunks.Find(c => c.FourCc is "VP8 " or "VP8L");
        switch (r.Next(8))
        {
            case 0:
            {
                long v = new long[] { 0, 4, 0xFFFFFFFF, 0x7FFFFFFF, src.Length, src.Length * 1000L, Math.Max(0, src.Length - 20) }[r.Next(7)];
                Put(b, 4, 4, v, false);
                what = $"webp:RIFF size={v}";
                return b;
            }
            case 1:
            {
                long v = new long[] { 0, 1, 0xFFFFFFFF, 0x7FFFFFFF, pick.Size + 1L, pick.Size * 100L, 0x10000000 }[r.Next(7)];
                Put(b, pick.Offset + 4, 4, v, false);
                what = $"webp:{pick.FourCc} size={v}";
                return b;
            }
            case 2 when vp8x.FourCc is not null:
            {
                byte flags = (byte)(new byte[] { 0x02, 0x10, 0x20, 0x08, 0x04, 0x3E, 0xFF, 0x00 }[r.Next(8)]);
                b[vp8x.Offset + 8] = flags;
                what = $"webp:VP8X flags={flags:X2}";
                return b;
            }
            case 3 when vp8x.FourCc is not null:
            {
                long w = Dimension(r) & 0xFFFFFF, h = Dimension(r) & 0xFFFFFF;
                Put(b, vp8x.Offset + 12, 3, w, false);
                Put(b, vp8x.Offset + 15, 3, h, false);
                what = $"webp:VP8X canvas {w + 1}x{h + 1}";
                return b;
            }
            case 4 when image.FourCc is not null:
            {
                long w = Dimension(r) & 0x3FFF, h = Dimension(r) & 0x3FFF;
                int data = image.Offset + 8;
                if (image.FourCc == "VP8L" && data + 5 <= b.Length)
                {
                    uint bits = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(data + 1));
                    bits = (bits & 0xF0000000) | (uint)h << 14 | (uint)w;
                    BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(data + 1), bits);
                }
                else
                {
                    Put(b, data + 6, 2, w, false);
                    Put(b, data + 8, 2, h, false);
                }
                what = $"webp:{image.FourCc} {w}x{h}";
                return b;
            }
            case 5:
                what = $"webp:remove {pick.FourCc}";
                return FixRiff([.. src[..pick.Offset], .. src[Math.Min(src.Length, pick.Offset + 8 + pick.Size + (pick.Size & 1))..]]);
            case 6:
            {
                // A still image made to look animated or alpha-coded: a VP8X header claiming it, then ANIM/ANMF/ALPH chunks.
                var extra = r.Next(3) switch
                {
                    0 => RiffChunk("ANIM", new byte[6]),
                    1 => RiffChunk("ANMF", [.. new byte[6], 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, .. src.AsSpan(12)]),
                    _ => RiffChunk("ALPH", [(byte)r.Next(256), .. ZlibZeros(r.Next(1, 4096))]),
                };
                var header = RiffChunk("VP8X", [(byte)(r.Next(2) == 0 ? 0x12 : 0x10), 0, 0, 0, 15, 0, 0, 15, 0, 0]);
                what = $"webp:insert {Encoding.ASCII.GetString(extra, 0, 4)}";
                return FixRiff([.. src[..12], .. (vp8x.FourCc is null ? header : []), .. extra, .. src[12..]]);
            }
            default:
            {
                int times = r.Next(2, 100);
                var copy = src.AsSpan(pick.Offset, Math.Min(src.Length - pick.Offset, 8 + pick.Size + (pick.Size & 1))).ToArray();
                what = $"webp:duplicate {pick.FourCc} x{times}";
                return FixRiff([.. src[..pick.Offset], .. Enumerable.Repeat(copy, times).SelectMany(c => c), .. src[pick.Offset..]]);
            }
        }
    }

    private static byte[] RiffChunk(string fourCc, byte[] data)
    {
        var c = new byte[8 + data.Length + (data.Length & 1)];
        Encoding.ASCII.GetBytes(fourCc).CopyTo(c, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(c.AsSpan(4), (uint)data.Length);
        data.CopyTo(c, 8);
        return c;
    }

    /// <summary>The RIFF size made true again, so the mutation inside is what the decoder meets.</summary>
    private static byte[] FixRiff(byte[] b)
    {
        if (b.Length >= 8) BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)(b.Length - 8));
        return b;
    }

    private static List<Chunk> Chunks(byte[] b)
    {
        var list = new List<Chunk>();
        for (int at = 12; at + 8 <= b.Length;)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at + 4));
            if (at + 8 + (long)size > b.Length) break;
            list.Add(new Chunk(at, Encoding.ASCII.GetString(b, at, 4), (int)size));
            at += 8 + (int)size + (int)(size & 1);
        }
        return list;
    }
}
