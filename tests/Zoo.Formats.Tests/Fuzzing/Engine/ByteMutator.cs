using System.Buffers.Binary;

namespace Zoo.Formats.Tests.Fuzzing;

/// <summary>
/// Format-blind mutations: bit flips, byte runs, truncations, insertions, deletions, and "interesting"
/// integers (0, -1, powers of two, the file's own length, huge values) written over 1, 2, 4 or 8 bytes,
/// which is how sizes, dimensions, offsets and counts in binary headers get to lie.
/// Offsets favour the first and last 8 KiB, where HDF5 superblocks, object headers and zip directories live.
/// </summary>
public static class ByteMutator
{
    private static readonly string[] Kinds = ["bitflip", "run", "truncate", "insert", "delete", "int", "duplicate"];

    /// <summary>Applies 1–4 random mutations; the name lists them.</summary>
    public static (string Name, byte[] Bytes) Mutate(byte[] seed, Random r)
    {
        var bytes = seed;
        var names = new List<string>();
        int n = 1 + (r.Next(4) == 0 ? r.Next(3) : 0);
        for (int i = 0; i < n; i++)
        {
            var kind = Kinds[r.Next(Kinds.Length)];
            bytes = Apply(kind, bytes, r, out var what);
            names.Add(what);
        }
        return (string.Join(",", names), bytes);
    }

    /// <summary>Applies one named mutation.</summary>
    public static byte[] Apply(string kind, byte[] input, Random r, out string what)
    {
        if (input.Length == 0) { what = "insert@0"; return RandomBytes(r, 1 + r.Next(64)); }
        int at = Offset(input.Length, r);
        switch (kind)
        {
            case "bitflip":
            {
                var b = (byte[])input.Clone();
                int flips = 1 + r.Next(8);
                for (int i = 0; i < flips; i++) { int p = Math.Min(b.Length - 1, at + r.Next(16)); b[p] ^= (byte)(1 << r.Next(8)); }
                what = $"bitflip{flips}@{at}";
                return b;
            }
            case "run":
            {
                var b = (byte[])input.Clone();
                int len = Math.Min(b.Length - at, 1 + r.Next(64));
                int fill = r.Next(3);
                for (int i = 0; i < len; i++) b[at + i] = fill switch { 0 => 0, 1 => 0xFF, _ => (byte)r.Next(256) };
                what = $"run{len}@{at}";
                return b;
            }
            case "truncate":
            {
                int keep = r.Next(2) == 0 ? at : r.Next(input.Length);
                what = $"truncate@{keep}";
                return input[..keep];
            }
            case "insert":
            {
                var extra = RandomBytes(r, 1 + r.Next(256));
                what = $"insert{extra.Length}@{at}";
                return [.. input[..at], .. extra, .. input[at..]];
            }
            case "delete":
            {
                int len = Math.Min(input.Length - at, 1 + r.Next(256));
                what = $"delete{len}@{at}";
                return [.. input[..at], .. input[(at + len)..]];
            }
            case "duplicate":
            {
                int len = Math.Min(input.Length - at, 1 + r.Next(512));
                int to = r.Next(input.Length);
                what = $"dup{len}@{at}->{to}";
                return [.. input[..to], .. input.AsSpan(at, len), .. input[to..]];
            }
            default:
                return Interesting(input, at, r, out what);
        }
    }

    /// <summary>Writes an interesting integer over 1, 2, 4 or 8 little-endian bytes at <paramref name="at"/>.</summary>
    public static byte[] Interesting(byte[] input, int at, Random r, out string what)
    {
        var b = (byte[])input.Clone();
        int width = new[] { 1, 2, 4, 8 }[r.Next(4)];
        if (at + width > b.Length) at = Math.Max(0, b.Length - width);
        width = Math.Min(width, b.Length);
        ulong v = InterestingValue(b.LongLength, r);
        Span<byte> buf = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(buf, v);
        if (r.Next(4) == 0) buf[..width].Reverse();
        buf[..width].CopyTo(b.AsSpan(at));
        what = $"int{width}={v:x}@{at}";
        return b;
    }

    /// <summary>Values that make size and count fields lie: boundaries, the file length and multiples of it.</summary>
    public static ulong InterestingValue(long fileLength, Random r) => r.Next(14) switch
    {
        0 => 0,
        1 => ulong.MaxValue,
        2 => 0x7F,
        3 => 0x80,
        4 => 0xFFFF,
        5 => 0x7FFFFFFF,
        6 => 0x80000000,
        7 => 0xFFFFFFFF,
        8 => long.MaxValue,
        9 => (ulong)fileLength,
        10 => (ulong)fileLength + (ulong)r.Next(1, 64),
        11 => (ulong)fileLength * (ulong)r.Next(2, 1000),
        12 => 1UL << r.Next(64),
        _ => (ulong)r.Next(0, 256),
    };

    private static int Offset(int length, Random r)
    {
        int window = Math.Min(length, 8192);
        return r.Next(10) switch
        {
            < 4 => r.Next(length),
            < 7 => r.Next(window),
            _ => length - 1 - r.Next(window),
        };
    }

    private static byte[] RandomBytes(Random r, int n)
    {
        var b = new byte[n];
        r.NextBytes(b);
        return b;
    }
}
