using System.Buffers.Binary;
using System.Text;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Hdf5;

/// <summary>
/// Encodes the HDF5 object-header messages the writer needs (file format specification 3.0, section IV.A.2):
/// dataspace, datatype, fill value, data layout, link info, group info, link and attribute messages.
/// All little-endian, 8-byte offsets and lengths.
/// </summary>
internal static class H5MessageEncoder
{
    public const ulong Undefined = ulong.MaxValue;

    public const byte DataspaceMsg = 0x01, LinkInfoMsg = 0x02, DatatypeMsg = 0x03, FillValueMsg = 0x05, LinkMsg = 0x06,
        LayoutMsg = 0x08, GroupInfoMsg = 0x0A, AttributeMsg = 0x0C;

    /// <summary>Dataspace message version 2: scalar for an empty shape, simple otherwise.</summary>
    public static byte[] EncodeDataspace(long[] shape)
    {
        var b = new byte[4 + 8 * shape.Length];
        b[0] = 2;
        b[1] = (byte)shape.Length;
        b[2] = 0;
        b[3] = (byte)(shape.Length == 0 ? 0 : 1);
        for (int i = 0; i < shape.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(4 + 8 * i), (ulong)shape[i]);
        return b;
    }

    /// <summary>Datatype message for a numeric element type (bfloat16 as a 2-byte opaque type, as h5py stores it).</summary>
    public static byte[] EncodeNumericType(DType t) => t switch
    {
        DType.Float16 => Float(2, 15, 10, 5, 0, 10, 15),
        DType.Float32 => Float(4, 31, 23, 8, 0, 23, 127),
        DType.Float64 => Float(8, 63, 52, 11, 0, 52, 1023),
        DType.BFloat16 => Header(5, 0, 0, 0, 2),
        DType.Bool => BoolEnum(),
        DType.Int8 or DType.Int16 or DType.Int32 or DType.Int64 => Fixed(t.Size(), signed: true),
        _ => Fixed(t.Size(), signed: false),
    };

    private static byte[] Header(int cls, byte bits0, byte bits1, byte bits2, int size, int propertyBytes = 0)
    {
        var b = new byte[8 + propertyBytes];
        b[0] = (byte)(0x10 | cls);
        b[1] = bits0;
        b[2] = bits1;
        b[3] = bits2;
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)size);
        return b;
    }

    private static byte[] Fixed(int size, bool signed)
    {
        var b = Header(0, (byte)(signed ? 0x08 : 0), 0, 0, size, 4);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(10), (ushort)(size * 8));
        return b;
    }

    private static byte[] Float(int size, int signBit, int expLoc, int expSize, int mantLoc, int mantSize, uint bias)
    {
        // 0x20: mantissa normalization "most significant bit implied", as IEEE types declare.
        var b = Header(1, 0x20, (byte)signBit, 0, size, 12);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(10), (ushort)(size * 8));
        b[12] = (byte)expLoc;
        b[13] = (byte)expSize;
        b[14] = (byte)mantLoc;
        b[15] = (byte)mantSize;
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), bias);
        return b;
    }

    /// <summary>NumPy bool as h5py stores it: an int8 enum FALSE=0, TRUE=1 (version-1 names, NUL-padded to 8).</summary>
    private static byte[] BoolEnum()
    {
        var baseType = Fixed(1, signed: true);
        var names = new byte[16];
        Encoding.ASCII.GetBytes("FALSE").CopyTo(names, 0);
        Encoding.ASCII.GetBytes("TRUE").CopyTo(names, 8);
        var b = Header(8, 2, 0, 0, 1, baseType.Length + names.Length + 2);
        baseType.CopyTo(b, 8);
        names.CopyTo(b, 8 + baseType.Length);
        b[^2] = 0;
        b[^1] = 1;
        return b;
    }

    /// <summary>Datatype message for a string attribute: fixed-length NUL-padded or variable-length NUL-terminated.</summary>
    public static byte[] EncodeStringType(H5StringAttribute s)
    {
        byte charset = (byte)(s.CharSet == H5CharSet.Utf8 ? 1 : 0);
        if (s.Kind == H5StringKind.Fixed)
            return Header(3, (byte)(1 | charset << 4), 0, 0, s.FixedSize);
        var baseType = Fixed(1, signed: false);
        var b = Header(9, 1, charset, 0, 16, baseType.Length);
        baseType.CopyTo(b, 8);
        return b;
    }

    /// <summary>Fill value message version 3: late allocation, fill written only if set, no fill value defined.</summary>
    public static byte[] EncodeFillValue() => new byte[] { 3, 0x0A };

    /// <summary>Contiguous data layout message version 3.</summary>
    public static byte[] EncodeContiguousLayout(ulong address, ulong size)
    {
        var b = new byte[18];
        b[0] = 3;
        b[1] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(2), address);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(10), size);
        return b;
    }

    /// <summary>Link info message: compact links, no creation order.</summary>
    public static byte[] EncodeLinkInfo()
    {
        var b = new byte[18];
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(2), Undefined);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(10), Undefined);
        return b;
    }

    /// <summary>Group info message with default limits.</summary>
    public static byte[] EncodeGroupInfo() => new byte[] { 0, 0 };

    /// <summary>Hard link message; the name's charset is declared UTF-8 when it is not plain ASCII.</summary>
    public static byte[] EncodeHardLink(string name, ulong address)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        bool utf8 = nameBytes.Length != name.Length;
        int lengthSize = nameBytes.Length <= byte.MaxValue ? 1 : 2;
        if (nameBytes.Length > ushort.MaxValue) throw new ArgumentException($"link name of {nameBytes.Length} bytes is too long");
        var b = new List<byte> { 1, (byte)((lengthSize == 1 ? 0 : 1) | (utf8 ? 0x10 : 0)) };
        if (utf8) b.Add(1);
        if (lengthSize == 1) b.Add((byte)nameBytes.Length);
        else { b.Add((byte)nameBytes.Length); b.Add((byte)(nameBytes.Length >> 8)); }
        b.AddRange(nameBytes);
        var addr = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(addr, address);
        b.AddRange(addr);
        return b.ToArray();
    }

    /// <summary>Attribute message version 3 around an already encoded datatype, dataspace and data.</summary>
    public static byte[] EncodeAttribute(string name, byte[] datatype, byte[] dataspace, ReadOnlySpan<byte> data)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        bool utf8 = nameBytes.Length != name.Length;
        int total = 9 + nameBytes.Length + 1 + datatype.Length + dataspace.Length + data.Length;
        var b = new byte[total];
        b[0] = 3;
        b[1] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), (ushort)(nameBytes.Length + 1));
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(4), (ushort)datatype.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(6), (ushort)dataspace.Length);
        b[8] = (byte)(utf8 ? 1 : 0);
        int at = 9;
        nameBytes.CopyTo(b, at); at += nameBytes.Length + 1;
        datatype.CopyTo(b, at); at += datatype.Length;
        dataspace.CopyTo(b, at); at += dataspace.Length;
        data.CopyTo(b.AsSpan(at));
        return b;
    }
}
