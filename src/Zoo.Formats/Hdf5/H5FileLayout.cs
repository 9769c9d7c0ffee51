using System.Buffers.Binary;
using System.Text;
using Zoo.Formats.Ir;
using static Zoo.Formats.Hdf5.H5MessageEncoder;

namespace Zoo.Formats.Hdf5;

/// <summary>
/// Lays out a tree as an HDF5 file (superblock v2, version-2 object headers with compact links, contiguous
/// datasets, global heap for variable-length strings) and writes it. Placement is a pure function of the
/// tree: superblock, heap collections, object headers in depth-first order, then dataset bytes.
/// </summary>
internal sealed class H5FileLayout
{
    private const int SuperblockSize = 48;
    private static readonly byte[] Signature = { 0x89, (byte)'H', (byte)'D', (byte)'F', (byte)'\r', (byte)'\n', 0x1A, (byte)'\n' };

    private readonly List<H5TreeObject> nodes = new();
    private readonly Dictionary<H5TreeObject, int> indexOf = new(ReferenceEqualityComparer.Instance);
    private readonly List<List<(string Name, H5AttributeValue Value)>> attributes = new();
    private readonly Dictionary<(int Node, int Attr), (int Collection, ushort Index)[]> heapIds = new();
    private readonly H5GlobalHeap heap = new();
    private readonly long[] heapAddresses;
    private readonly long[] headerAddresses;
    private readonly long[] dataAddresses;
    private readonly long endOfFile;
    private readonly long headersEnd;

    public H5FileLayout(H5TreeGroup root)
    {
        Collect(root);
        for (int n = 0; n < nodes.Count; n++)
            for (int a = 0; a < attributes[n].Count; a++)
                if (attributes[n][a].Value is H5StringAttribute { Kind: H5StringKind.Variable } s)
                    heapIds[(n, a)] = s.Values.Select(heap.Add).ToArray();

        heapAddresses = new long[heap.Count];
        long at = SuperblockSize;
        for (int i = 0; i < heap.Count; i++) { heapAddresses[i] = at; at += heap.Size(i); }

        headerAddresses = new long[nodes.Count];
        dataAddresses = new long[nodes.Count];
        for (int n = 0; n < nodes.Count; n++) { headerAddresses[n] = at; at += EncodeHeader(n).Length; }
        headersEnd = at;
        for (int n = 0; n < nodes.Count; n++)
        {
            if (nodes[n] is H5TreeDataset { Data.Length: > 0 } d)
            {
                at = (at + 7) & ~7L;
                dataAddresses[n] = at;
                at += d.Data.LongLength;
            }
            else dataAddresses[n] = -1;
        }
        endOfFile = at;
    }

    // Kept only so progress reports can name what was written: depth-first order matches nodes.
    private readonly List<string> paths = new();

    private string PathOf(int node) => paths[node];

    private void Collect(H5TreeObject obj, string parentPath = "")
    {
        indexOf[obj] = nodes.Count;
        nodes.Add(obj);
        var path = nodes.Count == 1 ? "/" : parentPath.TrimEnd('/') + "/" + obj.Name;
        paths.Add(path);
        var list = obj.Attributes.Select(kv => (kv.Key, kv.Value)).ToList();
        // A bfloat16 dataset is only recognisable by this attribute (Keras 3's convention), so it must be present.
        if (obj is H5TreeDataset { DType: DType.BFloat16 } && obj.Attributes.String("dtype") != "bfloat16")
        {
            list.RemoveAll(x => x.Key == "dtype");
            list.Add(("dtype", H5StringAttribute.Scalar("bfloat16")));
        }
        attributes.Add(list);
        if (obj is H5TreeGroup g)
            foreach (var c in g.Children)
            {
                if (indexOf.ContainsKey(c)) throw new ArgumentException($"object '{c.Name}' appears twice in the tree; HDF5 trees written by Zoo link each object once");
                Collect(c, path);
            }
    }

    /// <summary>
    /// Writes the whole file to <paramref name="to"/>. With <paramref name="writeBehind"/> (for a file that
    /// will be flushed to disk once written), disk writes of the payloads start while later ones are written.
    /// </summary>
    public void Write(Stream to, bool writeBehind = false, IProgress<IO.WriteProgress>? progress = null)
    {
        to.Write(EncodeSuperblock());
        for (int i = 0; i < heap.Count; i++) heap.Write(i, to);
        for (int n = 0; n < nodes.Count; n++) to.Write(EncodeHeader(n));
        var payloads = new H5WriteBehind(to, writeBehind);
        Span<byte> padding = stackalloc byte[8];
        padding.Clear();
        long position = headersEnd;
        int total = progress is null ? 0 : dataAddresses.Count(a => a >= 0), done = 0;
        long bytesTotal = endOfFile - headersEnd;
        for (int n = 0; n < nodes.Count; n++)
        {
            if (dataAddresses[n] < 0) continue;
            payloads.Write(padding[..(int)(dataAddresses[n] - position)]);
            var data = ((H5TreeDataset)nodes[n]).Data;
            payloads.Write(data);
            position = dataAddresses[n] + data.LongLength;
            progress?.Report(new IO.WriteProgress(PathOf(n), ++done, total, position - headersEnd, bytesTotal));
        }
    }

    private byte[] EncodeSuperblock()
    {
        var b = new byte[SuperblockSize];
        Signature.CopyTo(b, 0);
        b[8] = 2;
        b[9] = 8;
        b[10] = 8;
        b[11] = 0;
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(12), 0);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(20), Undefined);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(28), (ulong)endOfFile);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(36), (ulong)(headerAddresses.Length > 0 ? headerAddresses[0] : 0));
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(44), Lookup3.Hash(b.AsSpan(0, 44)));
        return b;
    }

    private byte[] EncodeHeader(int n)
    {
        var messages = new List<(byte Type, byte Flags, byte[] Body)>();
        var obj = nodes[n];
        if (obj is H5TreeGroup g)
        {
            messages.Add((LinkInfoMsg, 0, EncodeLinkInfo()));
            messages.Add((GroupInfoMsg, 0, EncodeGroupInfo()));
            foreach (var c in g.Children)
                messages.Add((LinkMsg, 0, EncodeHardLink(c.Name, Address(headerAddresses, indexOf[c]))));
        }
        else
        {
            var d = (H5TreeDataset)obj;
            messages.Add((DataspaceMsg, 0, EncodeDataspace(d.Shape)));
            messages.Add((DatatypeMsg, 1, EncodeNumericType(d.DType)));
            messages.Add((FillValueMsg, 1, EncodeFillValue()));
            ulong address = dataAddresses is null || dataAddresses[n] < 0 ? Undefined : (ulong)dataAddresses[n];
            messages.Add((LayoutMsg, 0, EncodeContiguousLayout(address, (ulong)d.Data.LongLength)));
        }
        for (int a = 0; a < attributes[n].Count; a++)
            messages.Add((AttributeMsg, 0, EncodeAttributeMessage(n, a)));

        foreach (var m in messages)
            if (m.Body.Length > ushort.MaxValue)
                throw new UnsupportedFeatureException(
                    $"a header message of {m.Body.Length} bytes exceeds HDF5's 65,535-byte limit (split long attributes, as Keras does for name lists)",
                    null, obj.Name);
        long chunk = messages.Sum(m => 4L + m.Body.Length);
        var ms = new MemoryStream();
        ms.Write(Encoding.ASCII.GetBytes("OHDR"));
        ms.WriteByte(2);
        ms.WriteByte(0x02); // 4-byte chunk size, no times, no attribute creation order
        Span<byte> u32 = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(u32, checked((uint)chunk));
        ms.Write(u32);
        Span<byte> head = stackalloc byte[4];
        foreach (var (type, flags, body) in messages)
        {
            head[0] = type;
            BinaryPrimitives.WriteUInt16LittleEndian(head[1..], (ushort)body.Length);
            head[3] = flags;
            ms.Write(head);
            ms.Write(body);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(u32, Lookup3.Hash(ms.GetBuffer().AsSpan(0, (int)ms.Length)));
        ms.Write(u32);
        return ms.ToArray();
    }

    private static ulong Address(long[]? addresses, int n) => addresses is null ? 0 : (ulong)addresses[n];

    private byte[] EncodeAttributeMessage(int n, int a)
    {
        var (name, value) = attributes[n][a];
        switch (value)
        {
            case H5NumericAttribute num:
                return EncodeAttribute(name, EncodeNumericType(num.DType), EncodeDataspace(num.Shape), num.Data);
            case H5StringAttribute s:
                var shape = s.IsScalar ? Array.Empty<long>() : new long[] { s.Values.Count };
                byte[] data;
                if (s.Kind == H5StringKind.Fixed)
                {
                    data = new byte[(long)s.FixedSize * s.Values.Count];
                    for (int i = 0; i < s.Values.Count; i++)
                        Encoding.UTF8.GetBytes(s.Values[i]).CopyTo(data, i * s.FixedSize);
                }
                else
                {
                    var ids = heapIds[(n, a)];
                    data = new byte[16 * ids.Length];
                    for (int i = 0; i < ids.Length; i++)
                    {
                        var span = data.AsSpan(16 * i);
                        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)Encoding.UTF8.GetByteCount(s.Values[i]));
                        BinaryPrimitives.WriteUInt64LittleEndian(span[4..], Address(heapAddresses, ids[i].Collection));
                        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], ids[i].Index);
                    }
                }
                return EncodeAttribute(name, EncodeStringType(s), EncodeDataspace(shape), data);
            default:
                throw new ArgumentException($"unknown attribute value {value.GetType().Name}");
        }
    }
}
