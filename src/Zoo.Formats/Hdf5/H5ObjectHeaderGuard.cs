using System.Buffers.Binary;

namespace Zoo.Formats.Hdf5;

/// <summary>
/// Checks an object header (version 1 as tf.keras/h5py write by default, or version 2 as our writer and
/// h5py's <c>libver="latest"</c> write) before PureHDF decodes it: version-2 chunk checksums, every message
/// inside its chunk, continuations inside the file, and the length fields PureHDF 2.2.0 allocates from
/// before reading (fill values, link names, attribute name/type/space sizes) inside their message.
/// One flipped bit in such a field made PureHDF allocate up to 2 GiB for a 15 KB file.
/// </summary>
internal static class H5ObjectHeaderGuard
{
    /// <summary>Told each message of a checked header: its type and body.</summary>
    public delegate void MessageVisitor(int type, ReadOnlySpan<byte> body);

    private const int MaxChunks = 10_000;

    /// <summary>The root group's object header address from the superblock, or null when the layout is not one we know.</summary>
    public static ulong? RootAddress(Stream stream, string? file)
    {
        long length = stream.Length;
        if (length < 96) return null;
        var sb = Read(stream, 0, 96);
        if (!sb.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a })) return null; // user block: skip
        switch (sb[8])
        {
            case 0 when sb[13] == 8 && sb[14] == 8:
                return BinaryPrimitives.ReadUInt64LittleEndian(sb.AsSpan(64));
            case 1 when sb[13] == 8 && sb[14] == 8:
                return BinaryPrimitives.ReadUInt64LittleEndian(sb.AsSpan(68));
            case 2 or 3 when sb[9] == 8 && sb[10] == 8:
                if (BinaryPrimitives.ReadUInt32LittleEndian(sb.AsSpan(44)) != Lookup3.Hash(sb.AsSpan(0, 44)))
                    throw new ModelFormatException("expected the superblock checksum to match, found a mismatch (the file is corrupt)", file, "/");
                return BinaryPrimitives.ReadUInt64LittleEndian(sb.AsSpan(36));
            default:
                return null;
        }
    }

    /// <summary>Throws a <see cref="ZooException"/> when the object header at <paramref name="address"/> is corrupt; addresses outside the file are left to PureHDF.</summary>
    public static void Check(Stream stream, ulong address, string? file, string path, MessageVisitor? visit = null)
    {
        // PureHDF's stream driver keeps reading from the stream's current position: leave it where it was.
        long saved = stream.Position;
        try
        {
            CheckAt(stream, address, file, path, visit);
        }
        finally
        {
            stream.Position = saved;
        }
    }

    private static void CheckAt(Stream stream, ulong address, string? file, string path, MessageVisitor? visit)
    {
        long length = stream.Length;
        if (address > (ulong)length - 16) return;
        var head = Read(stream, (long)address, 16);
        if (head.AsSpan(0, 4).SequenceEqual("OHDR"u8)) CheckVersion2(stream, (long)address, length, file, path, visit);
        else if (head[0] == 1) CheckVersion1(stream, (long)address, head, length, file, path, visit);
    }

    private static void CheckVersion1(Stream stream, long address, byte[] head, long length, string? file, string path, MessageVisitor? visit)
    {
        // version, reserved, message count (2), reference count (4), header size (4), padding to 8.
        var chunks = new Queue<(long Start, ulong Size)>();
        chunks.Enqueue((address + 16, BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(8))));
        for (int n = 0; chunks.Count > 0 && n < MaxChunks; n++)
        {
            var (start, size) = chunks.Dequeue();
            if (size > (ulong)(length - start))
                throw Corrupt($"an object header block declares {size} bytes but only {length - start} remain in the file", file, path);
            var block = Read(stream, start, (long)size);
            for (int p = 0; p + 8 <= block.Length;)
            {
                int type = BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(p));
                int msgSize = BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(p + 2));
                int body = p + 8;
                if (body + msgSize > block.Length) throw Corrupt($"a header message declares {msgSize} bytes but its block holds {block.Length - body}", file, path);
                CheckMessage(stream, type, block.AsSpan(body, msgSize), length, file, path, chunks);
                visit?.Invoke(type, block.AsSpan(body, msgSize));
                p = body + (msgSize + 7) / 8 * 8;
            }
        }
    }

    private static void CheckVersion2(Stream stream, long address, long length, string? file, string path, MessageVisitor? visit)
    {
        var prefix = Read(stream, address, Math.Min(32, length - address));
        if (prefix.Length < 7 || prefix[4] != 2) throw Corrupt($"expected object header version 2, found {(prefix.Length > 4 ? prefix[4] : -1)}", file, path);
        byte flags = prefix[5];
        int at = 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
        int width = 1 << (flags & 3);
        if (at + width > prefix.Length) throw Corrupt("object header prefix runs past the end of the file", file, path);
        var chunks = new Queue<(long Start, ulong Size)>();
        CheckChunk(stream, address, address + at + width, ReadUnsigned(prefix.AsSpan(at), width), length, flags, file, path, chunks, visit);
        for (int n = 0; chunks.Count > 0 && n < MaxChunks; n++)
        {
            var (start, size) = chunks.Dequeue();
            if (size < 8) throw Corrupt($"a continuation block of {size} bytes cannot hold its signature and checksum", file, path);
            if (Read(stream, start, 4).AsSpan().SequenceEqual("OCHK"u8))
                CheckChunk(stream, start, start + 4, size - 8, length, flags, file, path, chunks, visit);
        }
    }

    private static void CheckChunk(Stream stream, long chunkStart, long messagesStart, ulong messagesSize, long length, byte flags, string? file, string path,
        Queue<(long, ulong)> chunks, MessageVisitor? visit)
    {
        if (messagesStart + 4 > length || messagesSize > (ulong)(length - messagesStart - 4))
            throw Corrupt($"an object header chunk declares {messagesSize} bytes but only {Math.Max(0, length - messagesStart - 4)} remain in the file", file, path);
        var chunk = Read(stream, chunkStart, messagesStart - chunkStart + (long)messagesSize + 4);
        int end = chunk.Length - 4;
        if (BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(end)) != Lookup3.Hash(chunk.AsSpan(0, end)))
            throw Corrupt("expected the object header checksum to match, found a mismatch (the file is corrupt)", file, path);
        int messageHeader = (flags & 0x04) != 0 ? 6 : 4;
        for (int p = (int)(messagesStart - chunkStart); p + messageHeader <= end;)
        {
            int size = BinaryPrimitives.ReadUInt16LittleEndian(chunk.AsSpan(p + 1));
            int body = p + messageHeader;
            if (body + size > end) throw Corrupt($"a header message declares {size} bytes but its chunk holds {end - body}", file, path);
            CheckMessage(stream, chunk[p], chunk.AsSpan(body, size), length, file, path, chunks);
            visit?.Invoke(chunk[p], chunk.AsSpan(body, size));
            p = body + size;
        }
    }

    private static void CheckMessage(Stream stream, int type, ReadOnlySpan<byte> m, long length, string? file, string path, Queue<(long, ulong)> chunks)
    {
        switch (type)
        {
            case 0x04: // old fill value: size, then the value
                FillValue(m, 0, file, path);
                break;
            case 0x05 when m.Length >= 2: // fill value: versions 1/2 have a "defined" byte at 3 then the size at 4; version 3 a flag bit then the size at 2
                if (m[0] is 1 or 2 && m.Length >= 4 && m[3] == 1) FillValue(m, 4, file, path);
                else if (m[0] == 3 && (m[1] & 0x20) != 0) FillValue(m, 2, file, path);
                break;
            case 0x06:
                Link(m, file, path);
                break;
            case 0x0C when m.Length >= 8:
                Attribute(m, file, path);
                break;
            case 0x11 when m.Length >= 16: // symbol table: the group's local heap holds its link names
                LocalHeap(stream, BinaryPrimitives.ReadUInt64LittleEndian(m[8..]), length, file, path);
                break;
            case 0x10 when m.Length >= 16: // continuation
                ulong at = BinaryPrimitives.ReadUInt64LittleEndian(m);
                ulong size = BinaryPrimitives.ReadUInt64LittleEndian(m[8..]);
                if (at > (ulong)length || size > (ulong)length - at)
                    throw Corrupt($"a continuation declares {size} bytes at {at}, outside the file", file, path);
                chunks.Enqueue(((long)at, size));
                break;
        }
    }

    /// <summary>
    /// An attribute message: name, datatype and dataspace sizes (padded to 8 in version 1) inside the
    /// message, and the data they imply (element size × element count) inside what is left of it.
    /// </summary>
    private static void Attribute(ReadOnlySpan<byte> m, string? file, string path)
    {
        byte v = m[0];
        int fixedPart = v == 3 ? 9 : 8;
        ulong nameSize = Pad(BinaryPrimitives.ReadUInt16LittleEndian(m[2..]), v);
        ulong typeSize = Pad(BinaryPrimitives.ReadUInt16LittleEndian(m[4..]), v);
        ulong spaceSize = Pad(BinaryPrimitives.ReadUInt16LittleEndian(m[6..]), v);
        Within(nameSize + typeSize + spaceSize, m.Length - fixedPart, "an attribute's name, type and space", file, path);
        var type = m.Slice(fixedPart + (int)nameSize, (int)typeSize);
        var space = m.Slice(fixedPart + (int)(nameSize + typeSize), (int)spaceSize);
        if (type.Length < 8 || space.Length < 2) return; // PureHDF rejects these without allocating
        ulong elementSize = BinaryPrimitives.ReadUInt32LittleEndian(type[4..]);
        int rank = space[1];
        int dimsAt = space[0] == 1 ? 8 : 4;
        if (dimsAt + 8 * rank > space.Length)
            throw new UnsafeModelException($"an attribute's dataspace declares rank {rank} but holds {space.Length} bytes", file, path);
        ulong count = 1;
        for (int i = 0; i < rank; i++)
        {
            ulong d = BinaryPrimitives.ReadUInt64LittleEndian(space[(dimsAt + 8 * i)..]);
            if (d != 0 && count > ulong.MaxValue / d) { count = ulong.MaxValue; break; }
            count *= d;
        }
        ulong data = elementSize != 0 && count > ulong.MaxValue / elementSize ? ulong.MaxValue : count * elementSize;
        Within(data, m.Length - fixedPart - (int)(nameSize + typeSize + spaceSize), "an attribute's data", file, path);
    }

    /// <summary>A local heap's data segment (PureHDF reads it whole, sized by the header) must lie inside the file.</summary>
    private static void LocalHeap(Stream stream, ulong address, long length, string? file, string path)
    {
        if (address > (ulong)length - 32) return; // PureHDF reports it without allocating
        var heap = Read(stream, (long)address, 32);
        if (!heap.AsSpan(0, 4).SequenceEqual("HEAP"u8)) return;
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(heap.AsSpan(8));
        ulong data = BinaryPrimitives.ReadUInt64LittleEndian(heap.AsSpan(24));
        if (data > (ulong)length || size > (ulong)length - data)
            throw new UnsafeModelException($"a group's local heap declares {size} bytes at {data} but the file has {length}; refusing before allocating it", file, path);
    }

    /// <summary>A fill value's 4-byte size at <paramref name="at"/>, and the bytes it declares, inside the message.</summary>
    private static void FillValue(ReadOnlySpan<byte> m, int at, string? file, string path)
    {
        if (m.Length < at + 4) throw Corrupt($"a fill value message of {m.Length} bytes ends before its size field", file, path);
        Within(BinaryPrimitives.ReadUInt32LittleEndian(m[at..]), m.Length - at - 4, "a fill value", file, path);
    }

    private static ulong Pad(ulong size, byte attributeVersion) => attributeVersion == 1 ? (size + 7) / 8 * 8 : size;

    private static void Link(ReadOnlySpan<byte> m, string? file, string path)
    {
        if (m.Length < 2) throw Corrupt("a link message is shorter than its header", file, path);
        byte flags = m[1];
        int at = 2 + ((flags & 0x08) != 0 ? 1 : 0) + ((flags & 0x04) != 0 ? 8 : 0) + ((flags & 0x10) != 0 ? 1 : 0);
        int width = 1 << (flags & 3);
        if (at + width > m.Length) throw Corrupt("a link message ends inside its header", file, path);
        Within(ReadUnsigned(m[at..], width), m.Length - at - width, "a link name", file, path);
    }

    private static void Within(ulong declared, int available, string what, string? file, string path)
    {
        if (declared > (ulong)Math.Max(0, available))
            throw new UnsafeModelException($"{what} declares {declared} bytes but its header message holds {Math.Max(0, available)}; refusing before allocating it", file, path);
    }

    private static ulong ReadUnsigned(ReadOnlySpan<byte> b, int width) => width switch
    {
        1 => b[0],
        2 => BinaryPrimitives.ReadUInt16LittleEndian(b),
        4 => BinaryPrimitives.ReadUInt32LittleEndian(b),
        _ => BinaryPrimitives.ReadUInt64LittleEndian(b),
    };

    private static byte[] Read(Stream stream, long at, long count)
    {
        var buffer = new byte[count];
        stream.Position = at;
        stream.ReadExactly(buffer);
        return buffer;
    }

    private static ModelFormatException Corrupt(string why, string? file, string path) => new(why, file, path);
}
