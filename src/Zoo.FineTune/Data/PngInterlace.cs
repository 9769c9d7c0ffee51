using System.Buffers.Binary;
using System.IO.Compression;

namespace Zoo.FineTune.Data;

/// <summary>
/// Interlaced (Adam7) PNG image data checked for completeness before decoding: ImageSharp 2's interlaced
/// decoder never returns when the data runs out before it has read every scanline it expects (found by the
/// image fuzz target: a non-interlaced file relabelled interlaced, an interlaced one given a wider header, and
/// a 1×1 interlaced image). It expects more than the PNG specification does when a pass has no columns: it then
/// skips to the next pass without moving to that pass's first row, so this count follows its bookkeeping.
/// The data is inflated into a small reused buffer, only counted, and never more than the decoder would read.
/// </summary>
internal static class PngInterlace
{
    private static readonly int[] FirstRow = [0, 0, 4, 0, 2, 0, 1], RowStep = [8, 8, 8, 4, 4, 2, 2];
    private static readonly int[] FirstColumn = [0, 4, 0, 2, 0, 1, 0], ColumnStep = [8, 8, 4, 4, 2, 2, 1];

    /// <summary>Why an interlaced PNG's image data is short or corrupt, or null when it is complete (or the PNG is not interlaced).</summary>
    public static string? Incomplete(byte[] png)
    {
        if (png.Length < 33 || png[28] != 1 || !png.AsSpan(12, 4).SequenceEqual("IHDR"u8)) return null;
        long width = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)), height = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20));
        int channels = png[25] switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0) return null; // the decoder refuses unknown colour types itself
        long bitsPerPixel = (long)png[24] * channels, needed = 0, row = 0;
        for (int pass = 0; pass < 7; pass++)
        {
            long cols = width <= FirstColumn[pass] ? 0 : (width - FirstColumn[pass] + ColumnStep[pass] - 1) / ColumnStep[pass];
            if (cols == 0) continue; // the decoder keeps the row it had, rather than starting at this pass's first row
            if (row < height) needed += (height - row + RowStep[pass] - 1) / RowStep[pass] * (1 + (cols * bitsPerPixel + 7) / 8);
            if (pass < 6) row = FirstRow[pass + 1];
        }
        long got = InflatedLength(ImageData(png), needed);
        return got >= needed ? null
            : $"interlaced PNG image data is incomplete: the {width}×{height} image needs {needed:N0} bytes, the file's data inflates to {got:N0}";
    }

    /// <summary>The IDAT chunks' data, concatenated in order (a chunk running past the end is cut where the file ends).</summary>
    private static MemoryStream ImageData(byte[] png)
    {
        var data = new MemoryStream();
        for (long at = 8; at + 8 <= png.Length;)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan((int)at));
            bool idat = png.AsSpan((int)at + 4, 4).SequenceEqual("IDAT"u8);
            long end = Math.Min(png.Length, at + 8 + length);
            if (idat) data.Write(png, (int)at + 8, (int)(end - at - 8));
            at += 12 + length;
        }
        data.Position = 0;
        return data;
    }

    /// <summary>Bytes the zlib stream inflates to, counted up to <paramref name="limit"/>; corrupt data counts as ending where it breaks.</summary>
    private static long InflatedLength(Stream compressed, long limit)
    {
        var buffer = new byte[64 << 10];
        long total = 0;
        try
        {
            using var z = new ZLibStream(compressed, CompressionMode.Decompress);
            int n;
            while (total < limit && (n = z.Read(buffer, 0, (int)Math.Min(buffer.Length, limit - total))) > 0) total += n;
        }
        catch (InvalidDataException)
        {
        }
        return total;
    }
}
