using System.Buffers.Binary;
using System.Text;

namespace Zoo.Formats.Hdf5;

/// <summary>
/// The global heap collections that hold variable-length strings. Strings are added in tree order, so
/// the same tree always gives the same heap bytes; a collection holds at most <see cref="MaxObjects"/> objects.
/// </summary>
internal sealed class H5GlobalHeap
{
    private const int MinCollectionSize = 4096, HeaderSize = 16, ObjectHeaderSize = 16;
    public const int MaxObjects = 60000;

    private readonly List<List<byte[]>> collections = new();

    /// <summary>Heap id of each added string: collection number and 1-based object index.</summary>
    public (int Collection, ushort Index) Add(string value)
    {
        if (collections.Count == 0 || collections[^1].Count >= MaxObjects) collections.Add(new List<byte[]>());
        collections[^1].Add(Encoding.UTF8.GetBytes(value));
        return (collections.Count - 1, (ushort)collections[^1].Count);
    }

    /// <summary>Number of collections.</summary>
    public int Count => collections.Count;

    /// <summary>Encoded size of collection <paramref name="i"/> (at least 4096 bytes, as the format requires).</summary>
    public long Size(int i)
    {
        long used = HeaderSize + collections[i].Sum(o => ObjectHeaderSize + Align8(o.Length));
        return Math.Max(MinCollectionSize, Align8(used));
    }

    /// <summary>Writes collection <paramref name="i"/>.</summary>
    public void Write(int i, Stream to)
    {
        long size = Size(i);
        var head = new byte[HeaderSize];
        Encoding.ASCII.GetBytes("GCOL").CopyTo(head, 0);
        head[4] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(head.AsSpan(8), (ulong)size);
        to.Write(head);
        long used = HeaderSize;
        ushort index = 0;
        var objHead = new byte[ObjectHeaderSize];
        foreach (var o in collections[i])
        {
            Array.Clear(objHead);
            BinaryPrimitives.WriteUInt16LittleEndian(objHead, ++index);
            BinaryPrimitives.WriteUInt16LittleEndian(objHead.AsSpan(2), 1);
            BinaryPrimitives.WriteUInt64LittleEndian(objHead.AsSpan(8), (ulong)o.Length);
            to.Write(objHead);
            to.Write(o);
            to.Write(new byte[Align8(o.Length) - o.Length]);
            used += ObjectHeaderSize + Align8(o.Length);
        }
        long free = size - used;
        if (free >= ObjectHeaderSize)
        {
            // Object 0 marks the free space; its size counts its own header.
            Array.Clear(objHead);
            BinaryPrimitives.WriteUInt64LittleEndian(objHead.AsSpan(8), (ulong)free);
            to.Write(objHead);
            free -= ObjectHeaderSize;
        }
        to.Write(new byte[free]);
    }

    private static int Align8(int n) => (n + 7) & ~7;

    private static long Align8(long n) => (n + 7) & ~7L;
}
