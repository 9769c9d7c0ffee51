using System.Runtime.InteropServices;
using PureHDF;
using PureHDF.VOL.Native;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Hdf5;

/// <summary>
/// Maps HDF5 element types to <see cref="DType"/> and reads raw element bytes. Elements are read as
/// same-size unsigned integers so PureHDF applies only its byte-order conversion, never a value conversion.
/// </summary>
internal static class H5TypeMap
{
    /// <summary>The DType of a numeric HDF5 type; null when the type is not one Keras writes.</summary>
    /// <param name="type">The HDF5 type.</param>
    /// <param name="kerasDtype">The object's <c>dtype</c> attribute, when a string ("bfloat16" marks Keras 3 bfloat16).</param>
    public static DType? ToDType(IH5DataType type, string? kerasDtype)
    {
        if (kerasDtype == "bfloat16" && type.Size == 2
            && type.Class is H5DataTypeClass.Opaque or H5DataTypeClass.FixedPoint or H5DataTypeClass.FloatingPoint)
            return DType.BFloat16;
        return (type.Class, type.Size) switch
        {
            (H5DataTypeClass.FloatingPoint, 2) => DType.Float16,
            (H5DataTypeClass.FloatingPoint, 4) => DType.Float32,
            (H5DataTypeClass.FloatingPoint, 8) => DType.Float64,
            (H5DataTypeClass.FixedPoint, 1) => type.FixedPoint.IsSigned ? DType.Int8 : DType.UInt8,
            (H5DataTypeClass.FixedPoint, 2) => type.FixedPoint.IsSigned ? DType.Int16 : DType.UInt16,
            (H5DataTypeClass.FixedPoint, 4) => type.FixedPoint.IsSigned ? DType.Int32 : DType.UInt32,
            (H5DataTypeClass.FixedPoint, 8) => type.FixedPoint.IsSigned ? DType.Int64 : DType.UInt64,
            (H5DataTypeClass.Enumerated, 1) when IsNumpyBool(type) => DType.Bool,
            _ => null,
        };
    }

    /// <summary>h5py stores NumPy bool as an int8 enum with exactly FALSE=0 and TRUE=1.</summary>
    private static bool IsNumpyBool(IH5DataType type)
    {
        var members = type.Enumeration.GetMembers<sbyte>();
        return members.Count == 2 && members.TryGetValue("FALSE", out var f) && f == 0
               && members.TryGetValue("TRUE", out var t) && t == 1;
    }

    /// <summary>A readable description of an HDF5 type for error messages.</summary>
    public static string Describe(IH5DataType type) => $"{type.Class} of {type.Size} bytes";

    /// <summary>
    /// Reads a dataset's <paramref name="bytes"/> bytes straight into the array returned: PureHDF fills a typed view
    /// of it, so no second copy of a large dataset is ever made (falls back to a typed read for other connectors).
    /// </summary>
    public static byte[] ReadRaw(IH5Dataset dataset, int elementSize, long bytes)
    {
        if (dataset is not NativeDataset native) return ReadTyped(dataset, elementSize);
        var data = GC.AllocateUninitializedArray<byte>(checked((int)bytes));
        switch (elementSize)
        {
            case 1: native.Read<byte>(data.AsSpan()); break;
            case 2: native.Read(MemoryMarshal.Cast<byte, ushort>(data.AsSpan())); break;
            case 4: native.Read(MemoryMarshal.Cast<byte, uint>(data.AsSpan())); break;
            case 8: native.Read(MemoryMarshal.Cast<byte, ulong>(data.AsSpan())); break;
            default: throw new ArgumentOutOfRangeException(nameof(elementSize));
        }
        return data;
    }

    private static byte[] ReadTyped(IH5Dataset dataset, int elementSize) => elementSize switch
    {
        1 => dataset.Read<byte[]>(),
        2 => MemoryMarshal.AsBytes(dataset.Read<ushort[]>().AsSpan()).ToArray(),
        4 => MemoryMarshal.AsBytes(dataset.Read<uint[]>().AsSpan()).ToArray(),
        8 => MemoryMarshal.AsBytes(dataset.Read<ulong[]>().AsSpan()).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(elementSize)),
    };

    /// <summary>Reads an attribute's elements as raw bytes.</summary>
    public static byte[] ReadRaw(IH5Attribute attribute, int elementSize) => elementSize switch
    {
        1 => attribute.Read<byte[]>(),
        2 => MemoryMarshal.AsBytes(attribute.Read<ushort[]>().AsSpan()).ToArray(),
        4 => MemoryMarshal.AsBytes(attribute.Read<uint[]>().AsSpan()).ToArray(),
        8 => MemoryMarshal.AsBytes(attribute.Read<ulong[]>().AsSpan()).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(elementSize)),
    };
}
