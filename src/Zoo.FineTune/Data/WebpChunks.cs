using System.Buffers.Binary;

namespace Zoo.FineTune.Data;

/// <summary>
/// The RIFF chunk sizes of a WebP file checked against the bytes it holds, before decoding: ImageSharp's WebP
/// decoder allocates a chunk's declared size up front, so a 300-byte file declaring a 256 MiB VP8 chunk would
/// cost 256 MiB (found by the image fuzz target).
/// </summary>
internal static class WebpChunks
{
    /// <summary>Why the first chunk that runs past the end of the file is refused, or null when every chunk fits (or it is no WebP).</summary>
    public static string? FirstOverlong(byte[] b)
    {
        if (b.Length < 12 || !b.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !b.AsSpan(8, 4).SequenceEqual("WEBP"u8)) return null;
        for (long at = 12; at + 8 <= b.Length;)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan((int)at + 4));
            if (at + 8 + size > b.Length)
            {
                var fourCc = System.Text.Encoding.ASCII.GetString(b, (int)at, 4);
                return $"WebP chunk '{fourCc}' at byte {at:N0} declares {size:N0} bytes, but only {b.Length - at - 8:N0} follow";
            }
            at += 8 + size + (size & 1);
        }
        return null;
    }
}
