using System.Runtime.InteropServices;
using Zoo.Formats.Ir;

namespace Zoo.Formats.IO;

/// <summary>
/// A NumPy array as Zoo holds it: shape, element type and raw little-endian bytes in C (row-major)
/// order, whatever byte order and memory order the file used.
/// </summary>
public sealed class NpyArray
{
    /// <summary>Creates an array; <paramref name="data"/> must hold exactly product(shape) elements of <paramref name="dtype"/>.</summary>
    public NpyArray(long[] shape, DType dtype, byte[] data)
    {
        long n = WeightTensor.ElementCount(shape);
        if (n * dtype.Size() != data.LongLength)
            throw new ModelFormatException($"array of shape [{string.Join(",", shape)}] {dtype.KerasName()} needs {n * dtype.Size()} bytes, found {data.LongLength}");
        Shape = shape;
        DType = dtype;
        Data = data;
    }

    /// <summary>Dimensions, outermost first.</summary>
    public long[] Shape { get; }

    /// <summary>Element type.</summary>
    public DType DType { get; }

    /// <summary>Little-endian element bytes, C order.</summary>
    public byte[] Data { get; }

    /// <summary>Number of elements.</summary>
    public long Length => WeightTensor.ElementCount(Shape);

    /// <summary>A float32 array.</summary>
    public static NpyArray FromFloat32(long[] shape, ReadOnlySpan<float> values) => new(shape, DType.Float32, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>The values converted to float32 (from any float, int or bool type).</summary>
    public float[] ToFloat32() => ToFloat64().Select(v => (float)v).ToArray();

    /// <summary>The values converted to float64.</summary>
    public double[] ToFloat64()
    {
        var d = Data.AsSpan();
        return DType switch
        {
            DType.Float64 => MemoryMarshal.Cast<byte, double>(d).ToArray(),
            DType.Float32 => Array.ConvertAll(MemoryMarshal.Cast<byte, float>(d).ToArray(), v => (double)v),
            DType.Float16 => Array.ConvertAll(MemoryMarshal.Cast<byte, Half>(d).ToArray(), v => (double)v),
            DType.Int8 => Array.ConvertAll(MemoryMarshal.Cast<byte, sbyte>(d).ToArray(), v => (double)v),
            DType.UInt8 or DType.Bool => Array.ConvertAll(d.ToArray(), v => (double)v),
            DType.Int16 => Array.ConvertAll(MemoryMarshal.Cast<byte, short>(d).ToArray(), v => (double)v),
            DType.UInt16 => Array.ConvertAll(MemoryMarshal.Cast<byte, ushort>(d).ToArray(), v => (double)v),
            DType.Int32 => Array.ConvertAll(MemoryMarshal.Cast<byte, int>(d).ToArray(), v => (double)v),
            DType.UInt32 => Array.ConvertAll(MemoryMarshal.Cast<byte, uint>(d).ToArray(), v => (double)v),
            DType.Int64 => Array.ConvertAll(MemoryMarshal.Cast<byte, long>(d).ToArray(), v => (double)v),
            DType.UInt64 => Array.ConvertAll(MemoryMarshal.Cast<byte, ulong>(d).ToArray(), v => (double)v),
            _ => throw new UnsupportedFeatureException($"{DType.KerasName()} arrays cannot be converted to numbers"),
        };
    }
}
