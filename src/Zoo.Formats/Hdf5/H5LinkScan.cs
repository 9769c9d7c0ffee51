using System.Buffers.Binary;
using System.Text;

namespace Zoo.Formats.Hdf5;

/// <summary>
/// Walks an HDF5 file's groups from the superblock with our own reader, before PureHDF resolves any link:
/// PureHDF follows soft links by recursion (a soft link to itself overflows the stack, which kills the
/// process) and opens the file an external link names. The walk is iterative with explicit limits, checks
/// every object header (<see cref="H5ObjectHeaderGuard"/>), refuses every link that is not a hard link, every
/// second link to one object (a hard-link cycle or alias) and nesting past <see cref="H5TreeReader.MaxDepth"/>,
/// and records what each dataset's layout declares so the reader can budget it before PureHDF allocates.
/// </summary>
/// <remarks>
/// Group links are read from all three places HDF5 keeps them: link messages in the header (compact
/// groups, what our writer and h5py's <c>libver="latest"</c> write), symbol tables (a version-1 B-tree of
/// symbol nodes and a local heap, what h5py writes by default), and the scratch pads that cache a
/// symbol table's addresses in a parent's entry (PureHDF prefers those to the header). Dense link storage
/// (a fractal heap with a version-2 B-tree index, used past eight links in a new-style group) is not read
/// here and is refused: no Keras or h5py default writes it.
/// </remarks>
internal sealed class H5LinkScan
{
    /// <summary>Most links a file may hold (Keras files hold thousands).</summary>
    public const int MaxLinks = 1_000_000;

    private const int EntrySize = 40, MaxTreeNodes = 1_000_000;
    private const ulong Undefined = ulong.MaxValue;

    private readonly Stream stream;
    private readonly string? file;
    private readonly long length;
    private readonly Dictionary<ulong, H5ObjectFacts> objects = new();
    private readonly HashSet<ulong> treeNodes = new();
    private int links;

    private H5LinkScan(Stream stream, string? file)
    {
        this.stream = stream;
        this.file = file;
        length = stream.Length;
    }

    /// <summary>
    /// Scans the file; returns the facts of every object, keyed by object header address. Throws
    /// <see cref="UnsafeModelException"/> for soft, external or repeated links and deep nesting.
    /// </summary>
    public static IReadOnlyDictionary<ulong, H5ObjectFacts> Run(Stream stream, string? file)
    {
        long saved = stream.Position;
        try
        {
            var scan = new H5LinkScan(stream, file);
            scan.Walk();
            return scan.objects;
        }
        finally
        {
            stream.Position = saved;
        }
    }

    private void Walk()
    {
        var (root, rootScratch) = Superblock();
        var pending = new Stack<(ulong Address, string Path, int Depth, (ulong Tree, ulong Heap)? Scratch)>();
        pending.Push((root, "/", 0, rootScratch));
        objects[root] = H5ObjectFacts.Unknown;
        while (pending.Count > 0)
        {
            var (address, path, depth, scratch) = pending.Pop();
            var facts = Inspect(address, path);
            objects[address] = facts;
            var children = new List<(string Name, ulong Address, (ulong, ulong)? Scratch)>();
            children.AddRange(facts.CompactLinks.Select(l => (l.Name, l.Address, ((ulong, ulong)?)null)));
            if (facts.SymbolTable is { } table) SymbolTable(table.Tree, table.Heap, path, children);
            if (scratch is { } pad && pad != facts.SymbolTable) SymbolTable(pad.Tree, pad.Heap, path, children);
            foreach (var (name, child, childScratch) in children)
            {
                var childPath = path == "/" ? "/" + name : path + "/" + name;
                if (depth + 1 > H5TreeReader.MaxDepth)
                    throw new UnsafeModelException($"groups nested deeper than {H5TreeReader.MaxDepth} levels", file, childPath);
                if (++links > MaxLinks)
                    throw new UnsafeModelException($"expected at most {MaxLinks:N0} links in the file, found more", file, childPath);
                if (!objects.TryAdd(child, H5ObjectFacts.Unknown))
                    throw new UnsafeModelException("object is reached by a second link (a hard-link alias or cycle); Keras files link each object once", file, childPath);
                pending.Push((child, childPath, depth + 1, childScratch));
            }
        }
    }

    /// <summary>The root group's header address (and cached symbol table) from the superblock; we read only the layouts Keras files use.</summary>
    private (ulong Root, (ulong Tree, ulong Heap)? Scratch) Superblock()
    {
        if (length < 96)
            throw new ModelFormatException($"expected an HDF5 superblock, found a file of {length} bytes", file, "/");
        var sb = Read(0, 96);
        if (!sb.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a }))
            throw new ModelFormatException("expected the HDF5 signature at the start of the file (Keras never writes a user block before it), found other bytes", file, "/");
        switch (sb[8])
        {
            case 0 or 1 when sb[13] == 8 && sb[14] == 8:
                // The root's symbol table entry follows the addresses (version 1 adds 4 bytes of B-tree settings).
                int entry = sb[8] == 0 ? 56 : 60;
                if (BinaryPrimitives.ReadUInt64LittleEndian(sb.AsSpan(sb[8] == 0 ? 24 : 28)) != 0)
                    throw new UnsupportedFeatureException("expected an HDF5 base address of 0, found another", file, "/");
                return (BinaryPrimitives.ReadUInt64LittleEndian(sb.AsSpan(entry + 8)), ScratchPad(sb.AsSpan(entry)));
            case 2 or 3 when sb[9] == 8 && sb[10] == 8:
                if (BinaryPrimitives.ReadUInt64LittleEndian(sb.AsSpan(12)) != 0)
                    throw new UnsupportedFeatureException("expected an HDF5 base address of 0, found another", file, "/");
                return (H5ObjectHeaderGuard.RootAddress(stream, file)!.Value, null);
            default:
                throw new ModelFormatException($"expected an HDF5 superblock of version 0-3 with 8-byte offsets and lengths, found version {sb[8]} with {sb[13]}/{sb[9]}-byte fields", file, "/");
        }
    }

    /// <summary>The B-tree and heap addresses a symbol table entry caches for a group (cache type 1), or null.</summary>
    private static (ulong Tree, ulong Heap)? ScratchPad(ReadOnlySpan<byte> entry)
        => BinaryPrimitives.ReadUInt32LittleEndian(entry[16..]) == 1
            ? (BinaryPrimitives.ReadUInt64LittleEndian(entry[24..]), BinaryPrimitives.ReadUInt64LittleEndian(entry[32..]))
            : null;

    private H5ObjectFacts Inspect(ulong address, string path)
    {
        if (address >= (ulong)length)
            throw new ModelFormatException($"expected an object header inside the file, found address {address} (the file has {length} bytes)", file, path);
        var facts = new H5ObjectFacts();
        H5ObjectHeaderGuard.Check(stream, address, file, path, (type, body) => Message(type, body, facts, path));
        return facts;
    }

    private void Message(int type, ReadOnlySpan<byte> m, H5ObjectFacts facts, string path)
    {
        switch (type)
        {
            case 0x02: // link info: version, flags, [max creation index], fractal heap, name index
                facts.Kind = H5ObjectKind.Group;
                int heapAt = m.Length >= 2 && (m[1] & 1) != 0 ? 10 : 2;
                if (m.Length < heapAt + 8) throw new ModelFormatException("a link info message ends before its heap address", file, path);
                if (BinaryPrimitives.ReadUInt64LittleEndian(m[heapAt..]) != Undefined)
                    throw new UnsupportedFeatureException("group stores its links in dense (fractal heap) storage, which Keras and h5py's defaults never write; re-save it with h5py's default settings", file, path);
                break;
            case 0x06:
                facts.Kind = H5ObjectKind.Group;
                facts.CompactLinks.Add(LinkMessage(m, path));
                break;
            case 0x11 when m.Length >= 16:
                facts.Kind = H5ObjectKind.Group;
                facts.SymbolTable = (BinaryPrimitives.ReadUInt64LittleEndian(m), BinaryPrimitives.ReadUInt64LittleEndian(m[8..]));
                break;
            case 0x07:
                facts.HasExternalFiles = true;
                break;
            case 0x08:
                facts.Kind = H5ObjectKind.Dataset;
                Layout(m, facts, path);
                break;
        }
    }

    /// <summary>A link message: refused unless it is a hard link; returns its name and target.</summary>
    private (string Name, ulong Address) LinkMessage(ReadOnlySpan<byte> m, string path)
    {
        if (m.Length < 2 || m[0] != 1) throw new ModelFormatException("expected a version 1 link message", file, path);
        byte flags = m[1];
        int at = 2;
        int linkType = 0;
        if ((flags & 0x08) != 0) linkType = m[at++];
        if ((flags & 0x04) != 0) at += 8;
        if ((flags & 0x10) != 0) at += 1;
        int width = 1 << (flags & 3);
        if (at + width > m.Length) throw new ModelFormatException("a link message ends inside its header", file, path);
        ulong nameLength = width switch
        {
            1 => m[at],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(m[at..]),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(m[at..]),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(m[at..]),
        };
        at += width;
        if (nameLength > (ulong)(m.Length - at)) throw new ModelFormatException("a link name runs past its message", file, path);
        var name = Encoding.UTF8.GetString(m.Slice(at, (int)nameLength));
        at += (int)nameLength;
        var where = path == "/" ? "/" + name : path + "/" + name;
        switch (linkType)
        {
            case 0 when at + 8 <= m.Length:
                return (name, BinaryPrimitives.ReadUInt64LittleEndian(m[at..]));
            case 1:
                throw new UnsafeModelException($"link '{name}' is a soft link ({LinkValue(m[at..], external: false)}); Keras files contain only hard links, and soft links can form cycles", file, where);
            case 64:
                throw new UnsafeModelException($"link '{name}' is an external link ({LinkValue(m[at..], external: true)}); refused before opening the file it names", file, where);
            default:
                throw new UnsafeModelException($"link '{name}' is of type {linkType}; Keras files contain only hard links", file, where);
        }
    }

    /// <summary>A soft or external link's target, for the message (never followed).</summary>
    private static string LinkValue(ReadOnlySpan<byte> m, bool external)
    {
        if (m.Length < 2) return "no target";
        int size = Math.Min(BinaryPrimitives.ReadUInt16LittleEndian(m), m.Length - 2);
        var value = m.Slice(2, size);
        if (external && value.Length > 0) value = value[1..]; // version and flags byte
        var parts = Encoding.UTF8.GetString(value).TrimEnd('\0').Split('\0');
        var text = external && parts.Length == 2 ? $"to '{parts[1]}' in '{parts[0]}'" : $"to '{parts[0]}'";
        return text.Length > 200 ? text[..200] + "…" : text;
    }

    /// <summary>Layout message versions 1–4: the class, and for chunked layouts the bytes one chunk inflates to.</summary>
    private void Layout(ReadOnlySpan<byte> m, H5ObjectFacts facts, string path)
    {
        if (m.Length < 2) throw new ModelFormatException("a data layout message is shorter than its header", file, path);
        switch (m[0])
        {
            case 1 or 2 when m.Length >= 8:
                facts.Layout = (H5LayoutKind)Math.Min((int)m[2], 3);
                if (m[2] == 2) facts.ChunkBytes = Product(m, 16, m[1], 4, path);
                break;
            case 3:
                facts.Layout = (H5LayoutKind)Math.Min((int)m[1], 3);
                if (m[1] == 2 && m.Length >= 3) facts.ChunkBytes = Product(m, 11, m[2], 4, path);
                break;
            case 4:
                facts.Layout = (H5LayoutKind)Math.Min((int)m[1], 3);
                if (m[1] == 2 && m.Length >= 5) facts.ChunkBytes = Product(m, 5, m[3], m[4], path);
                break;
            default:
                throw new ModelFormatException($"expected a data layout message of version 1 to 4, found version {m[0]}", file, path);
        }
    }

    /// <summary>The product of <paramref name="count"/> little-endian sizes of <paramref name="width"/> bytes at <paramref name="at"/> (saturating).</summary>
    private long Product(ReadOnlySpan<byte> m, int at, int count, int width, string path)
    {
        if (width is < 1 or > 8 || at + (long)count * width > m.Length)
            throw new ModelFormatException("a chunked layout's dimensions run past its message", file, path);
        ulong product = 1;
        for (int i = 0; i < count; i++)
        {
            ulong d = 0;
            for (int b = width - 1; b >= 0; b--) d = (d << 8) | m[at + i * width + b];
            product = d != 0 && product > long.MaxValue / d ? long.MaxValue : product * d;
        }
        return (long)Math.Min(product, long.MaxValue);
    }

    /// <summary>Every entry of a symbol table (version-1 B-tree of symbol nodes), walked without recursion.</summary>
    private void SymbolTable(ulong tree, ulong heap, string path, List<(string, ulong, (ulong, ulong)?)> into)
    {
        var (names, namesSize) = LocalHeap(heap, path);
        var pending = new Stack<ulong>();
        pending.Push(tree);
        while (pending.Count > 0)
        {
            ulong node = pending.Pop();
            if (!treeNodes.Add(node))
                throw new UnsafeModelException("a group's B-tree reaches one node twice (a cycle or shared node)", file, path);
            if (treeNodes.Count > MaxTreeNodes)
                throw new UnsafeModelException($"expected at most {MaxTreeNodes:N0} B-tree nodes, found more", file, path);
            var head = ReadAt(node, 24, path, "a group B-tree node");
            if (!head.AsSpan(0, 4).SequenceEqual("TREE"u8) || head[4] != 0)
                throw new ModelFormatException($"expected a group B-tree node at {node}, found other bytes", file, path);
            int level = head[5], used = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(6));
            var body = ReadAt(node + 24, used * 16L + 8, path, "a group B-tree node");
            for (int i = 0; i < used; i++)
            {
                ulong child = BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(8 + 16 * i));
                if (level > 0) pending.Push(child);
                else SymbolNode(child, names, namesSize, path, into);
            }
        }
    }

    private void SymbolNode(ulong address, ulong names, ulong namesSize, string path, List<(string, ulong, (ulong, ulong)?)> into)
    {
        if (!treeNodes.Add(address))
            throw new UnsafeModelException("a group's B-tree reaches one symbol node twice", file, path);
        var head = ReadAt(address, 8, path, "a symbol table node");
        if (!head.AsSpan(0, 4).SequenceEqual("SNOD"u8))
            throw new ModelFormatException($"expected a symbol table node at {address}, found other bytes", file, path);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(6));
        var entries = ReadAt(address + 8, (long)count * EntrySize, path, "a symbol table node");
        for (int i = 0; i < count; i++)
        {
            var e = entries.AsSpan(i * EntrySize, EntrySize);
            var name = HeapString(names, namesSize, BinaryPrimitives.ReadUInt64LittleEndian(e), path);
            var where = path == "/" ? "/" + name : path + "/" + name;
            uint cache = BinaryPrimitives.ReadUInt32LittleEndian(e[16..]);
            if (cache == 2)
            {
                var target = HeapString(names, namesSize, BinaryPrimitives.ReadUInt32LittleEndian(e[24..]), where);
                throw new UnsafeModelException($"link '{name}' is a soft link (to '{(target.Length > 200 ? target[..200] + "…" : target)}'); Keras files contain only hard links, and soft links can form cycles", file, where);
            }
            if (cache > 2) throw new ModelFormatException($"expected a symbol table cache type of 0, 1 or 2, found {cache}", file, where);
            into.Add((name, BinaryPrimitives.ReadUInt64LittleEndian(e[8..]), ScratchPad(e)));
        }
    }

    private (ulong Data, ulong Size) LocalHeap(ulong address, string path)
    {
        var heap = ReadAt(address, 32, path, "a group's local heap");
        if (!heap.AsSpan(0, 4).SequenceEqual("HEAP"u8))
            throw new ModelFormatException($"expected a local heap at {address}, found other bytes", file, path);
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(heap.AsSpan(8));
        ulong data = BinaryPrimitives.ReadUInt64LittleEndian(heap.AsSpan(24));
        if (data > (ulong)length || size > (ulong)length - data)
            throw new UnsafeModelException($"a group's local heap declares {size} bytes at {data} but the file has {length}", file, path);
        return (data, size);
    }

    /// <summary>A NUL-terminated name in a local heap (HDF5 names are at most a few KiB here; longer ones are cut at 64 KiB).</summary>
    private string HeapString(ulong data, ulong size, ulong offset, string path)
    {
        if (offset >= size) throw new ModelFormatException($"a link name lies at offset {offset}, past its local heap of {size} bytes", file, path);
        var bytes = ReadAt(data + offset, (long)Math.Min(size - offset, 1 << 16), path, "a link name");
        int end = Array.IndexOf(bytes, (byte)0);
        return Encoding.UTF8.GetString(bytes, 0, end < 0 ? bytes.Length : end);
    }

    private byte[] ReadAt(ulong address, long count, string path, string what)
    {
        if (address > (ulong)length || (ulong)count > (ulong)length - address)
            throw new ModelFormatException($"{what} at {address} runs past the end of the file ({length} bytes)", file, path);
        return Read((long)address, count);
    }

    private byte[] Read(long at, long count)
    {
        var buffer = new byte[count];
        stream.Position = at;
        stream.ReadExactly(buffer);
        return buffer;
    }
}

/// <summary>What kind of object a header describes, as far as the link scan can tell.</summary>
internal enum H5ObjectKind
{
    /// <summary>Neither group nor dataset messages (PureHDF decides).</summary>
    Unknown,
    /// <summary>Has link, link info or symbol table messages.</summary>
    Group,
    /// <summary>Has a data layout message.</summary>
    Dataset,
}

/// <summary>A dataset's storage layout class.</summary>
internal enum H5LayoutKind
{
    /// <summary>Data inside the header.</summary>
    Compact,
    /// <summary>One contiguous block.</summary>
    Contiguous,
    /// <summary>Chunks, possibly filtered.</summary>
    Chunked,
    /// <summary>Virtual (or an unknown class).</summary>
    Virtual,
}

/// <summary>What the link scan learned about one object from its header.</summary>
internal sealed class H5ObjectFacts
{
    /// <summary>Facts of an object not yet inspected.</summary>
    public static H5ObjectFacts Unknown => new();

    /// <summary>Group, dataset or neither.</summary>
    public H5ObjectKind Kind { get; set; }

    /// <summary>A dataset's layout class.</summary>
    public H5LayoutKind Layout { get; set; }

    /// <summary>Bytes one chunk of a chunked dataset inflates to (chunk dimensions × element size), saturating.</summary>
    public long ChunkBytes { get; set; }

    /// <summary>The dataset keeps its data in external raw files.</summary>
    public bool HasExternalFiles { get; set; }

    /// <summary>A group's hard links stored in its header.</summary>
    public List<(string Name, ulong Address)> CompactLinks { get; } = new();

    /// <summary>A group's symbol table (B-tree and local heap addresses), when it has one.</summary>
    public (ulong Tree, ulong Heap)? SymbolTable { get; set; }
}
