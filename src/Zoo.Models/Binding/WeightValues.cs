using System.Runtime.InteropServices;
using Zoo.Formats.Ir;

namespace Zoo.Models.Binding;

/// <summary>
/// Reads any stored weight as float32 for torch, integers included (Normalization's <c>count</c>,
/// a step counter), and writes float32 values back in an integer dtype.
/// </summary>
internal static class WeightValues
{
    /// <summary>The values of <paramref name="w"/> as float32 (integers converted exactly up to 2²⁴).</summary>
    public static float[] ToFloat32(WeightTensor w)
    {
        if (w.DType.IsFloat()) return w.ToFloat32();
        var d = w.Data.AsSpan();
        return w.DType switch
        {
            DType.Int8 => Array.ConvertAll(MemoryMarshal.Cast<byte, sbyte>(d).ToArray(), v => (float)v),
            DType.Int16 => Array.ConvertAll(MemoryMarshal.Cast<byte, short>(d).ToArray(), v => (float)v),
            DType.Int32 => Array.ConvertAll(MemoryMarshal.Cast<byte, int>(d).ToArray(), v => (float)v),
            DType.Int64 => Array.ConvertAll(MemoryMarshal.Cast<byte, long>(d).ToArray(), v => (float)v),
            DType.UInt8 or DType.Bool => Array.ConvertAll(d.ToArray(), v => (float)v),
            DType.UInt16 => Array.ConvertAll(MemoryMarshal.Cast<byte, ushort>(d).ToArray(), v => (float)v),
            DType.UInt32 => Array.ConvertAll(MemoryMarshal.Cast<byte, uint>(d).ToArray(), v => (float)v),
            DType.UInt64 => Array.ConvertAll(MemoryMarshal.Cast<byte, ulong>(d).ToArray(), v => (float)v),
            _ => w.ToFloat32(),
        };
    }

    /// <summary><paramref name="values"/> rounded into the integer dtype <paramref name="t"/>; null for a float dtype.</summary>
    public static byte[]? FromFloat32(float[] values, DType t)
    {
        long[] r = Array.ConvertAll(values, v => (long)Math.Round(v));
        return t switch
        {
            DType.Int8 => MemoryMarshal.AsBytes(Array.ConvertAll(r, v => (sbyte)v).AsSpan()).ToArray(),
            DType.Int16 => MemoryMarshal.AsBytes(Array.ConvertAll(r, v => (short)v).AsSpan()).ToArray(),
            DType.Int32 => MemoryMarshal.AsBytes(Array.ConvertAll(r, v => (int)v).AsSpan()).ToArray(),
            DType.Int64 => MemoryMarshal.AsBytes(r.AsSpan()).ToArray(),
            DType.UInt8 or DType.Bool => Array.ConvertAll(r, v => (byte)v),
            DType.UInt16 => MemoryMarshal.AsBytes(Array.ConvertAll(r, v => (ushort)v).AsSpan()).ToArray(),
            DType.UInt32 => MemoryMarshal.AsBytes(Array.ConvertAll(r, v => (uint)v).AsSpan()).ToArray(),
            DType.UInt64 => MemoryMarshal.AsBytes(Array.ConvertAll(r, v => (ulong)v).AsSpan()).ToArray(),
            _ => null,
        };
    }
}
