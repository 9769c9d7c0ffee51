using System.Buffers.Binary;

namespace Zoo.FineTune.Data;

/// <summary>
/// A BMP's header offsets checked against the file before decoding: ImageSharp 2's BMP decoder sizes a buffer
/// from the pixel-data offset (a 153-byte file declaring an offset of 2 GiB made it ask for 1.6 GB; found by
/// the image fuzz target). Offsets past the end of the file can only be wrong.
/// </summary>
internal static class BmpHeader
{
    /// <summary>Why the BMP's headers point outside the file, or null when they do not (or it is no BMP).</summary>
    public static string? Inconsistent(byte[] b)
    {
        if (b.Length < 18 || b[0] != (byte)'B' || b[1] != (byte)'M') return null;
        uint pixels = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(10)), info = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(14));
        if (pixels > b.Length) return $"BMP pixel data offset {pixels:N0} is past the end of the {b.Length:N0}-byte file";
        if (14L + info > b.Length) return $"BMP info header declares {info:N0} bytes, but only {b.Length - 14:N0} follow the file header";
        return null;
    }
}
