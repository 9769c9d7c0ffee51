using System.Runtime.InteropServices;
using Zoo.Formats.Ir;
using static TorchSharp.torch;

namespace Zoo.Models.Binding;

/// <summary>Turns a torch weight back into the IR's stored form, bit-identical when it did not change.</summary>
internal static class WeightExport
{
    /// <summary>
    /// <paramref name="value"/> (float32, Keras layout) as a <see cref="WeightTensor"/> named and typed like
    /// <paramref name="original"/>. When the values equal the original's float32 view, the original bytes are
    /// kept, so float64/float16 weights that were never trained round-trip bit for bit.
    /// </summary>
    public static WeightTensor ToStored(Tensor value, WeightTensor original)
    {
        var values = value.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        if (values.AsSpan().SequenceEqual(WeightValues.ToFloat32(original))) return original;
        var data = original.DType switch
        {
            DType.Float32 => MemoryMarshal.AsBytes(values.AsSpan()).ToArray(),
            DType.Float64 => MemoryMarshal.AsBytes(Array.ConvertAll(values, v => (double)v).AsSpan()).ToArray(),
            DType.Float16 => MemoryMarshal.AsBytes(Array.ConvertAll(values, v => (Half)v).AsSpan()).ToArray(),
            DType.BFloat16 => MemoryMarshal.AsBytes(Array.ConvertAll(values, v => (ushort)(BitConverter.SingleToInt32Bits(v) >> 16)).AsSpan()).ToArray(),
            _ => WeightValues.FromFloat32(values, original.DType) ?? throw new Zoo.Formats.UnsupportedFeatureException($"weight '{original.Name}': {original.DType.KerasName()} weights cannot be exported from float32"),
        };
        return new WeightTensor(original.Name, original.Shape, original.DType, data) { ObjectPath = original.ObjectPath };
    }
}
