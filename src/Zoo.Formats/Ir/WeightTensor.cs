using System.Runtime.InteropServices;

namespace Zoo.Formats.Ir;

/// <summary>
/// One stored weight: its name exactly as the file named it, its shape, element type and raw
/// little-endian bytes. The bytes are never converted, so a round trip is bit-identical.
/// </summary>
public sealed class WeightTensor
{
    /// <summary>Creates a tensor; <paramref name="data"/> must hold exactly product(shape) elements.</summary>
    public WeightTensor(string name, long[] shape, DType dtype, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long count = ElementCount(shape);
        long bytes = count > long.MaxValue / Math.Max(1, dtype.Size()) ? -1 : count * dtype.Size();
        if (bytes != data.LongLength)
            throw new ModelFormatException(
                $"weight '{name}': shape [{string.Join(",", shape)}] of {dtype.KerasName()} needs {(bytes < 0 ? "more than 2^63" : bytes.ToString(System.Globalization.CultureInfo.InvariantCulture))} bytes, found {data.LongLength}");
        Name = name;
        Shape = shape;
        DType = dtype;
        Data = data;
    }

    /// <summary>The name as stored: <c>dense/kernel:0</c> (Keras 2), <c>dense_1_W</c> (Keras 1), <c>sequential/dense/kernel</c> (Keras 3 legacy H5).</summary>
    public string Name { get; }

    /// <summary>
    /// Where Keras 3 keeps this variable below its layer's object path (<c>vars/0</c>, <c>cell/vars/1</c>);
    /// null when the source was not a Keras 3 weights store and the writer derives it.
    /// </summary>
    public string? ObjectPath { get; init; }

    /// <summary>Dimensions, outermost first (row-major, as Keras and NumPy store them).</summary>
    public long[] Shape { get; }

    /// <summary>Element type.</summary>
    public DType DType { get; }

    /// <summary>Raw little-endian element bytes.</summary>
    public byte[] Data { get; }

    /// <summary>Number of elements.</summary>
    public long ElementCount() => ElementCount(Shape);

    /// <summary>
    /// The variable's own name without scope or <c>:0</c> suffix: <c>dense/kernel:0</c> → <c>kernel</c>.
    /// </summary>
    public string ShortName => ShortNameOf(Name);

    /// <summary>Strips scope and <c>:N</c> suffix from a stored weight name.</summary>
    public static string ShortNameOf(string name)
    {
        var n = name;
        int colon = n.LastIndexOf(':');
        if (colon > 0 && colon < n.Length - 1 && n[(colon + 1)..].All(char.IsAsciiDigit)) n = n[..colon];
        int slash = n.LastIndexOf('/');
        return slash >= 0 ? n[(slash + 1)..] : n;
    }

    /// <summary>Product of the dimensions; 1 for a scalar. Throws <see cref="UnsafeModelException"/> past 2^63.</summary>
    public static long ElementCount(IReadOnlyList<long> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ModelFormatException($"negative dimension {d} in shape");
            if (d != 0 && n > long.MaxValue / d)
                throw new UnsafeModelException($"shape [{string.Join(",", shape)}] has more than 2^63 elements");
            n *= d;
        }
        return n;
    }

    /// <summary>A copy with another name.</summary>
    public WeightTensor Rename(string name) => new(name, Shape, DType, Data) { ObjectPath = ObjectPath };

    /// <summary>Reads float32 data as floats (throws for other dtypes).</summary>
    public float[] ToFloat32()
    {
        return DType switch
        {
            DType.Float32 => MemoryMarshal.Cast<byte, float>(Data).ToArray(),
            DType.Float64 => Array.ConvertAll(MemoryMarshal.Cast<byte, double>(Data).ToArray(), d => (float)d),
            DType.Float16 => Array.ConvertAll(MemoryMarshal.Cast<byte, Half>(Data).ToArray(), h => (float)h),
            DType.BFloat16 => Array.ConvertAll(MemoryMarshal.Cast<byte, ushort>(Data).ToArray(), b => BitConverter.Int32BitsToSingle(b << 16)),
            _ => throw new UnsupportedFeatureException($"weight '{Name}': {DType.KerasName()} cannot be read as float32"),
        };
    }

    /// <summary>Creates a float32 tensor.</summary>
    public static WeightTensor FromFloat32(string name, long[] shape, ReadOnlySpan<float> values)
        => new(name, shape, DType.Float32, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>True when name, shape, dtype and every byte are equal.</summary>
    public bool BitEquals(WeightTensor other)
        => Name == other.Name && DType == other.DType && Shape.AsSpan().SequenceEqual(other.Shape)
           && Data.AsSpan().SequenceEqual(other.Data);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} [{string.Join(",", Shape)}] {DType.KerasName()}";
}
