namespace Zoo.Formats.Hdf5;

/// <summary>
/// Bob Jenkins' lookup3 <c>hashlittle</c>, the checksum HDF5 puts on version-2 superblocks and object
/// headers (initial value 0). Written from the published algorithm description.
/// </summary>
internal static class Lookup3
{
    /// <summary>Hashes <paramref name="data"/>.</summary>
    public static uint Hash(ReadOnlySpan<byte> data, uint initial = 0)
    {
        uint a, b, c;
        a = b = c = 0xdeadbeef + (uint)data.Length + initial;
        int i = 0, length = data.Length;
        while (length > 12)
        {
            a += Word(data, i);
            b += Word(data, i + 4);
            c += Word(data, i + 8);
            Mix(ref a, ref b, ref c);
            i += 12;
            length -= 12;
        }
        if (length == 0) return c;
        Span<byte> tail = stackalloc byte[12];
        tail.Clear();
        data.Slice(i, length).CopyTo(tail);
        a += Word(tail, 0);
        b += Word(tail, 4);
        c += Word(tail, 8);
        Final(ref a, ref b, ref c);
        return c;
    }

    private static uint Word(ReadOnlySpan<byte> d, int i)
        => d[i] | ((uint)d[i + 1] << 8) | ((uint)d[i + 2] << 16) | ((uint)d[i + 3] << 24);

    private static uint Rot(uint x, int k) => (x << k) | (x >> (32 - k));

    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= Rot(c, 4); c += b;
        b -= a; b ^= Rot(a, 6); a += c;
        c -= b; c ^= Rot(b, 8); b += a;
        a -= c; a ^= Rot(c, 16); c += b;
        b -= a; b ^= Rot(a, 19); a += c;
        c -= b; c ^= Rot(b, 4); b += a;
    }

    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= Rot(b, 14);
        a ^= c; a -= Rot(c, 11);
        b ^= a; b -= Rot(a, 25);
        c ^= b; c -= Rot(b, 16);
        a ^= c; a -= Rot(c, 4);
        b ^= a; b -= Rot(a, 14);
        c ^= b; c -= Rot(b, 24);
    }
}
