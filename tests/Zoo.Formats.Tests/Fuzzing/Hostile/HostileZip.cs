using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Zoo.Formats.Tests.Fuzzing.Hostile;

/// <summary>
/// Writes zip archives by hand where the twist is in the zip structure itself: central-directory entries
/// that all point at one local entry (each inflates the same compressed bytes again), and entries whose
/// Unix file type is a symbolic link.
/// </summary>
public static class HostileZip
{
    /// <summary>One deflated or stored entry: its name, content, and the Unix mode it claims (0: none).</summary>
    public sealed record Entry(string Name, byte[] Content, bool Deflate = true, int UnixMode = 0);

    /// <summary>
    /// Writes <paramref name="entries"/>, then <paramref name="aliases"/> more central-directory entries named
    /// <c>assets/aliasN</c> that all point at the last entry's local header.
    /// </summary>
    public static void Write(string path, IReadOnlyList<Entry> entries, int aliases = 0)
    {
        using var s = new MemoryStream();
        var central = new MemoryStream();
        int count = 0;
        var packed = new Dictionary<byte[], (byte[] Data, uint Crc)>(ReferenceEqualityComparer.Instance);
        (long Offset, uint Crc, byte[] Data, Entry Entry) last = default;
        foreach (var e in entries)
        {
            long offset = s.Position;
            // Many entries share one content array: deflate and checksum it once.
            if (!packed.TryGetValue(e.Content, out var p)) packed[e.Content] = p = (e.Deflate ? Deflate(e.Content) : e.Content, Crc32(e.Content));
            var (data, crc) = p;
            var name = Encoding.UTF8.GetBytes(e.Name);
            Local(s, name, e, crc, data);
            Central(central, name, e, crc, data, offset);
            count++;
            last = (offset, crc, data, e);
        }
        for (int i = 0; i < aliases; i++)
        {
            Central(central, Encoding.UTF8.GetBytes($"assets/alias{i}"), last.Entry!, last.Crc, last.Data!, last.Offset);
            count++;
        }
        long centralAt = s.Position;
        central.Position = 0;
        central.CopyTo(s);
        var end = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), (ushort)count);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), (ushort)count);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), (uint)central.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(16), (uint)centralAt);
        s.Write(end);
        File.WriteAllBytes(path, s.ToArray());
    }

    private static void Local(Stream s, byte[] name, Entry e, uint crc, byte[] data)
    {
        var h = new byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(4), 20);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(8), (ushort)(e.Deflate ? 8 : 0));
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(14), crc);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(18), (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(22), (uint)e.Content.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(26), (ushort)name.Length);
        s.Write(h);
        s.Write(name);
        s.Write(data);
    }

    private static void Central(Stream s, byte[] name, Entry e, uint crc, byte[] data, long offset)
    {
        var h = new byte[46];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0x02014b50);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(4), (ushort)(e.UnixMode != 0 ? 0x0314 : 20)); // made by Unix when a mode is given
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(6), 20);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(10), (ushort)(e.Deflate ? 8 : 0));
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(16), crc);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(20), (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(24), (uint)e.Content.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(28), (ushort)name.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(38), (uint)e.UnixMode << 16);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(42), (uint)offset);
        s.Write(h);
        s.Write(name);
    }

    private static byte[] Deflate(byte[] content)
    {
        using var o = new MemoryStream();
        using (var d = new DeflateStream(o, CompressionLevel.SmallestSize, leaveOpen: true)) d.Write(content);
        return o.ToArray();
    }

    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    /// <summary>The zip CRC-32 of <paramref name="data"/>.</summary>
    public static uint Crc32(byte[] data)
    {
        uint c = 0xFFFFFFFF;
        foreach (var b in data) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFF;
    }
}
