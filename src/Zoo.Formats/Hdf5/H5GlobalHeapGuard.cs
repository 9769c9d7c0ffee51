using System.Buffers.Binary;
using System.Reflection;
using PureHDF;
using PureHDF.VOL.Native;

namespace Zoo.Formats.Hdf5;

/// <summary>
/// Checks the global heap collections a variable-length string attribute points into before PureHDF
/// decodes them. PureHDF 2.2.0 allocates each heap object's declared size before reading it, so one
/// corrupt size field in a 30 KB file made it allocate gigabytes; here every declared size is compared
/// with the bytes that remain in the collection and the file first.
/// </summary>
internal static class H5GlobalHeapGuard
{
    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;
    private const int CollectionHeader = 16, ObjectHeader = 16, HeapIdSize = 16;
    private static readonly PropertyInfo MessageProperty = typeof(NativeAttribute).GetProperty("Message", Any)
        ?? throw new InvalidOperationException("PureHDF internals changed: NativeAttribute.Message not found (Zoo is pinned to PureHDF 2.2.0)");

    /// <summary>
    /// Throws <see cref="UnsafeModelException"/> when a heap object the attribute references declares more bytes
    /// than exist; returns the bytes the attribute's strings decode to, every reference counted (one 500 KB
    /// object referenced 2,000 times decodes to a gigabyte, which only the total shows).
    /// </summary>
    public static long Check(IH5Attribute attribute, Stream file, string? fileName, string path)
    {
        var raw = RawData(attribute);
        var collections = new Dictionary<ulong, Dictionary<ushort, ulong>>();
        long total = 0;
        // Each element is a heap id: 4-byte length, 8-byte collection address, 4-byte object index (Keras files use 8-byte offsets).
        for (int i = 0; i + HeapIdSize <= raw.Length; i += HeapIdSize)
        {
            ulong address = BinaryPrimitives.ReadUInt64LittleEndian(raw.AsSpan(i + 4));
            uint declared = BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(i));
            if (declared == 0 && address == 0) continue; // empty string
            if (!collections.TryGetValue(address, out var sizes))
            {
                // PureHDF's stream driver keeps reading from the stream's current position: leave it where it was.
                long saved = file.Position;
                try { sizes = CheckCollection(file, address, fileName, path); }
                finally { file.Position = saved; }
                collections[address] = sizes;
            }
            ushort index = (ushort)BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(i + 12));
            ulong size = Math.Max(declared, sizes.GetValueOrDefault(index));
            total = size > (ulong)(long.MaxValue - total) ? long.MaxValue : total + (long)size;
        }
        return total;
    }

    /// <summary>Checks one collection; returns the declared size of each object in it, by index.</summary>
    private static Dictionary<ushort, ulong> CheckCollection(Stream file, ulong address, string? fileName, string path)
    {
        var sizes = new Dictionary<ushort, ulong>();
        long length = file.Length;
        if (address > (ulong)(length - CollectionHeader))
            return sizes; // PureHDF reports an address past the end without allocating
        var header = new byte[CollectionHeader];
        file.Position = (long)address;
        file.ReadExactly(header);
        if (!header.AsSpan(0, 4).SequenceEqual("GCOL"u8)) return sizes; // PureHDF rejects the signature before allocating
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(8));
        ulong available = (ulong)length - address;
        if (size > available)
            throw Refuse($"a global heap collection declares {size} bytes but only {available} remain in the file", fileName, path);
        // Walk the objects as PureHDF will (it keeps going while the bytes consumed by objects are under
        // the declared size, so the last header may even lie past the collection): no declared object
        // size may exceed what the file still holds after that header.
        ulong offset = CollectionHeader;
        var objectHeader = new byte[ObjectHeader];
        while (offset < size)
        {
            ulong at = address + offset;
            if (at > (ulong)(length - ObjectHeader)) return sizes; // PureHDF fails reading the header, allocating nothing large
            file.Position = (long)at;
            file.ReadExactly(objectHeader);
            ushort index = BinaryPrimitives.ReadUInt16LittleEndian(objectHeader);
            if (index == 0) return sizes; // free space ends the collection
            ulong objectSize = BinaryPrimitives.ReadUInt64LittleEndian(objectHeader.AsSpan(8));
            sizes[index] = objectSize;
            ulong left = (ulong)length - at - ObjectHeader;
            if (objectSize > left)
                throw Refuse($"a global heap object declares {objectSize} bytes but only {left} remain in the file", fileName, path);
            // PureHDF counts what is left of the collection in an unsigned number: an object that runs past the
            // collection's end wraps it round, and it then decodes whatever follows as heap objects until one
            // declares more than the file holds (fuzz case h5-weights 29337: 1 GB allocated for a 927 KB file).
            ulong step = ObjectHeader + (objectSize + 7) / 8 * 8;
            if (step > size - offset)
                throw new ModelFormatException(
                    $"global heap object {BinaryPrimitives.ReadUInt16LittleEndian(objectHeader)} declares {objectSize} bytes, which runs past its collection's end ({(size - offset > ObjectHeader ? size - offset - ObjectHeader : 0)} bytes of the collection remain)",
                    fileName, path);
            offset += step;
        }
        return sizes;
    }

    private static byte[] RawData(IH5Attribute attribute)
    {
        var message = MessageProperty.GetValue(attribute) ?? throw new InvalidOperationException("attribute without message");
        var data = message.GetType().GetProperty("InputData", Any)?.GetValue(message)
            ?? throw new InvalidOperationException("PureHDF internals changed: AttributeMessage.InputData not found (Zoo is pinned to PureHDF 2.2.0)");
        return data switch
        {
            byte[] b => b,
            Memory<byte> m => m.ToArray(),
            ReadOnlyMemory<byte> m => m.ToArray(),
            _ => throw new InvalidOperationException($"PureHDF internals changed: AttributeMessage.InputData is a {data.GetType().Name}"),
        };
    }

    private static UnsafeModelException Refuse(string why, string? fileName, string path)
        => new($"{why}; refusing before allocating it", fileName, path);
}
