using System.Buffers.Binary;

namespace Zoo.Formats.Hdf5;

/// <summary>
/// Checks every version-2 object header reachable by hard links from the root (the layout our writer and
/// h5py's <c>libver="latest"</c> produce) before PureHDF decodes it: the lookup3 checksum of each header
/// chunk, message sizes inside their chunk, and link-name lengths inside their message. PureHDF 2.2.0
/// verifies none of these and allocates a declared name length before reading it, so one flipped bit in
/// a link message made it allocate up to 2 GiB. Version-0/1 superblocks (tf.keras files) carry no such
/// checksums and are left to the reader's other checks.
/// </summary>
internal static class H5ObjectHeaderGuard
{
    private const int MaxHeaders = 1_000_000;

    /// <summary>Throws a <see cref="ZooException"/> when a reachable v2 object header is corrupt.</summary>
    public static void Check(Stream stream, string? file)
    {
        long length = stream.Length;
        var sig = Read(stream, 0, Math.Min(48, length));
        if (sig.Length < 48 || sig[8] is not (2 or 3) || sig[9] != 8 || sig[10] != 8) return; // v0/v1 superblock or user block: not ours to check
        if (BinaryPrimitives.ReadUInt32LittleEndian(sig.AsSpan(44)) != Lookup3.Hash(sig.AsSpan(0, 44)))
            throw new ModelFormatException("expected the superblock checksum to match, found a mismatch (the file is corrupt)", file, "/");
        var pending = new Stack<ulong>();
        var seen = new HashSet<ulong>();
        pending.Push(BinaryPrimitives.ReadUInt64LittleEndian(sig.AsSpan(36)));
        while (pending.Count > 0)
        {
            ulong address = pending.Pop();
            if (!seen.Add(address) || seen.Count > MaxHeaders) continue;
            if (address > (ulong)length - 8) continue; // PureHDF reports addresses past the end itself
            var head = Read(stream, (long)address, 8);
            if (!head.AsSpan(0, 4).SequenceEqual("OHDR"u8)) continue; // a version-1 header: no checksum to verify
            CheckHeader(stream, (long)address, length, file, pending);
        }
    }

    private static void CheckHeader(Stream stream, long address, long length, string? file, Stack<ulong> pending)
    {
        var where = $"object header at {address}";
        var prefix = Read(stream, address, Math.Min(32, length - address));
        if (prefix.Length < 7 || prefix[4] != 2) throw Corrupt($"expected object header version 2, found {(prefix.Length > 4 ? prefix[4] : -1)}", file, where);
        byte flags = prefix[5];
        int at = 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
        int width = 1 << (flags & 3);
        if (at + width > prefix.Length) throw Corrupt("object header prefix runs past the end of the file", file, where);
        ulong chunkSize = ReadUnsigned(prefix.AsSpan(at), width);
        long messagesStart = address + at + width;
        CheckChunk(stream, address, messagesStart, chunkSize, length, flags, file, where, pending);
    }

    /// <summary>Verifies one chunk (the first one starting at its OHDR, a continuation at its OCHK) and walks its messages.</summary>
    private static void CheckChunk(Stream stream, long chunkStart, long messagesStart, ulong messagesSize, long length, byte flags, string? file, string where, Stack<ulong> pending)
    {
        if (messagesSize > (ulong)(length - messagesStart - 4))
            throw Corrupt($"object header chunk declares {messagesSize} bytes but only {length - messagesStart - 4} remain in the file", file, where);
        var chunk = Read(stream, chunkStart, messagesStart - chunkStart + (long)messagesSize + 4);
        int end = chunk.Length - 4;
        if (BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(end)) != Lookup3.Hash(chunk.AsSpan(0, end)))
            throw Corrupt("expected the object header checksum to match, found a mismatch (the file is corrupt)", file, where);
        int messageHeader = (flags & 0x04) != 0 ? 6 : 4;
        for (int p = (int)(messagesStart - chunkStart); p + messageHeader <= end;)
        {
            byte type = chunk[p];
            int size = BinaryPrimitives.ReadUInt16LittleEndian(chunk.AsSpan(p + 1));
            int body = p + messageHeader;
            if (body + size > end) throw Corrupt($"a header message declares {size} bytes but its chunk holds {end - body}", file, where);
            var message = chunk.AsSpan(body, size);
            if (type == 0x06) Link(message, file, where, pending);
            else if (type == 0x10 && size >= 16)
            {
                ulong next = BinaryPrimitives.ReadUInt64LittleEndian(message);
                ulong nextSize = BinaryPrimitives.ReadUInt64LittleEndian(message[8..]);
                if (next > (ulong)length || nextSize < 8 || nextSize > (ulong)length - next)
                    throw Corrupt($"a continuation declares {nextSize} bytes at {next}, outside the file", file, where);
                var sig = Read(stream, (long)next, 4);
                if (sig.AsSpan().SequenceEqual("OCHK"u8))
                    CheckChunk(stream, (long)next, (long)next + 4, nextSize - 8, length, flags, file, $"continuation at {next}", pending);
            }
            p = body + size;
        }
    }

    private static void Link(ReadOnlySpan<byte> m, string? file, string where, Stack<ulong> pending)
    {
        if (m.Length < 2) throw Corrupt("a link message is shorter than its header", file, where);
        byte flags = m[1];
        int at = 2;
        int linkType = 0;
        if ((flags & 0x08) != 0) { if (at >= m.Length) throw Corrupt("a link message ends inside its header", file, where); linkType = m[at++]; }
        if ((flags & 0x04) != 0) at += 8;
        if ((flags & 0x10) != 0) at += 1;
        int width = 1 << (flags & 3);
        if (at + width > m.Length) throw Corrupt("a link message ends inside its header", file, where);
        ulong nameLength = ReadUnsigned(m[at..], width);
        at += width;
        if (nameLength > (ulong)(m.Length - at))
            throw Corrupt($"a link name declares {nameLength} bytes but its message holds {m.Length - at}", file, where);
        at += (int)nameLength;
        if (linkType == 0 && at + 8 <= m.Length) pending.Push(BinaryPrimitives.ReadUInt64LittleEndian(m[at..]));
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

    private static ModelFormatException Corrupt(string why, string? file, string where) => new(why, file, where);
}
