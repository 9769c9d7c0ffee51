using System.Buffers.Binary;
using System.Text;
using Zoo.Formats.Ir;

namespace Zoo.Formats.IO;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files: versions 1–3, little or big endian, C or Fortran order,
/// float16/32/64, signed and unsigned ints, bool. Arrays come back little-endian in C order.
/// </summary>
public static class Npy
{
    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    /// <summary>Reads an <c>.npy</c> file; its data is reserved from the command's <see cref="ReadBudget"/> (<paramref name="options"/>) before it is allocated.</summary>
    public static NpyArray Read(string path, LoadOptions? options = null)
    {
        try
        {
            using var fs = File.OpenRead(path);
            using var scope = ReadBudget.Use(options, out var budget);
            budget.CountInput(fs.Length);
            return Read(fs, path);
        }
        catch (IOException e) { throw new ModelFormatException($"expected a readable .npy file, found an I/O error: {e.Message}", path, null, e); }
        catch (UnauthorizedAccessException e) { throw new ModelFormatException("expected a readable .npy file, found access denied", path, null, e); }
    }

    /// <summary>Reads an <c>.npy</c> stream; <paramref name="name"/> names it in errors.</summary>
    public static NpyArray Read(Stream stream, string? name = null) => Read(stream, name, long.MaxValue);

    /// <summary>Reads an <c>.npy</c> stream whose data may be at most <paramref name="maxDataBytes"/> (an archive entry's inflation cap).</summary>
    internal static NpyArray Read(Stream stream, string? name, long maxDataBytes)
    {
        try
        {
            return ReadChecked(stream, name, maxDataBytes);
        }
        catch (OverflowException e)
        {
            // A header length over 2 GiB, a dtype size or a shape whose byte count overflows 64 bits.
            throw new UnsafeModelException($"expected an .npy header whose sizes fit in 64 bits, found one that overflows: {e.Message}", name, "header", e);
        }
    }

    /// <summary>The shape of the array in an <c>.npy</c> file, from its header alone (the data is not read).</summary>
    public static long[] ReadShape(string path)
    {
        try
        {
            using var fs = File.OpenRead(path);
            return ReadHeader(fs, path).Shape;
        }
        catch (IOException e) { throw new ModelFormatException($"expected a readable .npy file, found an I/O error: {e.Message}", path, null, e); }
        catch (UnauthorizedAccessException e) { throw new ModelFormatException("expected a readable .npy file, found access denied", path, null, e); }
        catch (OverflowException e) { throw new UnsafeModelException($"expected an .npy header whose sizes fit in 64 bits, found one that overflows: {e.Message}", path, "header", e); }
    }

    private static NpyHeader ReadHeader(Stream stream, string? name)
    {
        var pre = ReadExactly(stream, 8, name, "magic");
        if (!pre.AsSpan(0, 6).SequenceEqual(Magic))
            throw new ModelFormatException("expected the .npy magic \\x93NUMPY, found other bytes", name, "magic");
        int major = pre[6];
        if (major is < 1 or > 3) throw new UnsupportedFeatureException($"expected .npy format version 1, 2 or 3, found {major}.{pre[7]}", name, "version");
        int headerLen = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(ReadExactly(stream, 2, name, "header length"))
            : checked((int)BinaryPrimitives.ReadUInt32LittleEndian(ReadExactly(stream, 4, name, "header length")));
        if (headerLen > 1 << 20) throw new ModelFormatException($"expected a header under 1 MiB, found {headerLen} bytes", name, "header");
        var headerBytes = ReadExactly(stream, headerLen, name, "header");
        return NpyHeader.Parse((major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes), name);
    }

    private static NpyArray ReadChecked(Stream stream, string? name, long maxDataBytes)
    {
        var header = ReadHeader(stream, name);
        long count = WeightTensor.ElementCount(header.Shape);
        long bytes = checked(count * header.DType.Size());
        if (stream.CanSeek && stream.Length - stream.Position < bytes)
            throw new ModelFormatException($"expected {bytes} data bytes for shape [{string.Join(",", header.Shape)}], found {stream.Length - stream.Position}", name, "data");
        if (bytes > maxDataBytes)
            throw new UnsafeModelException($"expected at most {maxDataBytes} data bytes from this compressed entry, found a header declaring {bytes} for shape [{string.Join(",", header.Shape)}]", name, "data");
        if (bytes > Array.MaxLength) throw new UnsupportedFeatureException($"arrays over {Array.MaxLength} bytes are not supported, found {bytes}", name, "data");
        var budget = ReadBudget.For(null);
        budget.Reserve(bytes, $"array [{string.Join(",", header.Shape)}] {header.DType.KerasName()}", name, "data");
        // Big-endian and Fortran-order arrays are converted through a second buffer of the same size.
        if (header.BigEndian || header.FortranOrder) budget.RequireHeadroom(bytes, "the array's conversion", name, "data");
        var data = ReadExactly(stream, (int)bytes, name, "data");
        if (header.BigEndian) SwapBytes(data, header.DType.Size());
        if (header.FortranOrder && header.Shape.Length > 1) data = FortranToC(data, header.Shape, header.DType.Size());
        return new NpyArray(header.Shape, header.DType, data);
    }

    /// <summary>Writes <paramref name="array"/> as a version 1.0 little-endian C-order <c>.npy</c>, atomically.</summary>
    public static void Write(string path, NpyArray array) => AtomicFile.Write(path, s => Write(s, array));

    /// <summary>Writes <paramref name="array"/> to a stream.</summary>
    public static void Write(Stream stream, NpyArray array)
    {
        var text = NpyHeader.Format(array.DType, array.Shape);
        // Pad with spaces so magic + length + header + newline is a multiple of 64, as NumPy does.
        int total = 10 + text.Length + 1;
        int padded = (total + 63) / 64 * 64;
        var header = text + new string(' ', padded - total) + "\n";
        if (header.Length > ushort.MaxValue) throw new UnsupportedFeatureException($"a header of {header.Length} bytes does not fit .npy version 1.0");
        stream.Write(Magic);
        stream.WriteByte(1);
        stream.WriteByte(0);
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)header.Length);
        stream.Write(len);
        stream.Write(Encoding.Latin1.GetBytes(header));
        stream.Write(array.Data);
    }

    private static byte[] ReadExactly(Stream s, int n, string? name, string what)
    {
        var buf = new byte[n];
        int read = 0;
        while (read < n)
        {
            int r = s.Read(buf, read, n - read);
            if (r == 0) throw new ModelFormatException($"expected {n} bytes of {what}, found only {read} before the end", name, what);
            read += r;
        }
        return buf;
    }

    private static void SwapBytes(byte[] data, int size)
    {
        for (int i = 0; i < data.Length; i += size) Array.Reverse(data, i, size);
    }

    /// <summary>Reorders column-major (first index fastest) element bytes into row-major.</summary>
    private static byte[] FortranToC(byte[] data, long[] shape, int size)
    {
        var result = new byte[data.Length];
        int rank = shape.Length;
        var idx = new long[rank];
        long count = data.Length / size;
        for (long c = 0; c < count; c++)
        {
            long f = 0, stride = 1;
            for (int a = 0; a < rank; a++) { f += idx[a] * stride; stride *= shape[a]; }
            Buffer.BlockCopy(data, (int)(f * size), result, (int)(c * size), size);
            for (int a = rank - 1; a >= 0; a--)
            {
                if (++idx[a] < shape[a]) break;
                idx[a] = 0;
            }
        }
        return result;
    }
}
