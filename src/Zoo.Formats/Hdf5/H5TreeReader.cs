using PureHDF;
using PureHDF.VOL.Native;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Hdf5;

/// <summary>
/// Reads a whole HDF5 file into an <see cref="H5TreeGroup"/>, in safe mode: external links, soft links,
/// hard-link aliases, virtual and external-storage datasets are refused with <see cref="UnsafeModelException"/>,
/// every dataset's declared size is checked against the file length before it is read, nesting depth is
/// capped, and every PureHDF error surfaces as a <see cref="ModelFormatException"/> naming the object.
/// </summary>
public static class H5TreeReader
{
    /// <summary>Deepest group nesting accepted (Keras files nest a handful of levels).</summary>
    public const int MaxDepth = 64;

    /// <summary>A chunk may be this large whatever its dataset's size (h5py's own chunks are at most 1 MiB).</summary>
    private const long MaxChunkSlack = 4L << 20;

    /// <summary>After a chunked dataset this large is decoded, its chunk buffers are collected at once.</summary>
    private const long CollectAfterBytes = 32L << 20;

    /// <summary>Reads the HDF5 file at <paramref name="path"/>.</summary>
    public static H5TreeGroup Read(string path, LoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ModelFormatException($"cannot open: {e.Message}", path, inner: e);
        }
        using (stream)
        using (ReadBudget.Use(options, out var budget))
        {
            budget.CountInput(stream.Length);
            return Read(stream, path, options);
        }
    }

    /// <summary>Reads an HDF5 file from a readable, seekable stream; <paramref name="fileName"/> names it in errors.</summary>
    public static H5TreeGroup Read(Stream stream, string? fileName = null, LoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using (ReadBudget.Use(options, out _)) return new Walker(fileName, options ?? LoadOptions.Default).Run(stream);
    }

    /// <summary>
    /// Reads only the root group's attributes and the names of its children (an empty group stands for
    /// each), without touching any dataset: a cheap look at what kind of Keras file this is.
    /// </summary>
    public static H5TreeGroup ReadRoot(string path, LoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var scope = ReadBudget.Use(options, out var budget);
            budget.CountInput(stream.Length);
            return new Walker(path, options ?? LoadOptions.Default).RunRootOnly(stream);
        }
        catch (ZooException) { throw; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ModelFormatException($"cannot open: {e.Message}", path, inner: e);
        }
    }

    private sealed class Walker(string? file, LoadOptions options)
    {
        static Walker() => BoundedDeflateFilter.Register();

        private readonly ReadBudget budget = ReadBudget.For(options);
        private IReadOnlyDictionary<ulong, H5ObjectFacts> facts = new Dictionary<ulong, H5ObjectFacts>();
        private Stream? source;
        private long fileLength;
        private string at = "/";

        public H5TreeGroup RunRootOnly(Stream stream) => Guarded(stream, h5 =>
        {
            var root = new H5TreeGroup();
            ReadAttributes(h5, root, "/");
            foreach (var child in h5.Children())
            {
                at = "/" + child.Name;
                CheckIdentity(child, at);
                root.Add(new H5TreeGroup(child.Name));
            }
            return root;
        });

        public H5TreeGroup Run(Stream stream) => Guarded(stream, h5 =>
        {
            var root = new H5TreeGroup();
            ReadAttributes(h5, root, "/");
            ReadChildren(h5, root, "");
            return root;
        });

        /// <summary>
        /// Scans the file's structure with our own reader (no PureHDF call may follow a link before this),
        /// then runs <paramref name="read"/>; every PureHDF error becomes a <see cref="ModelFormatException"/>.
        /// </summary>
        private H5TreeGroup Guarded(Stream stream, Func<NativeFile, H5TreeGroup> read)
        {
            try
            {
                if (!stream.CanRead || !stream.CanSeek) throw new ModelFormatException("stream must be readable and seekable", file);
                fileLength = stream.Length;
                source = stream;
                facts = H5LinkScan.Run(stream, file);
                stream.Position = 0;
                using var h5 = H5File.Open(stream, leaveOpen: true);
                return read(h5);
            }
            catch (ZooException) { throw; }
            catch (Exception e) when (Inner<ZooException>(e) is { } zoo)
            {
                // Our deflate filter refuses a bomb from inside PureHDF, which wraps what it throws.
                throw zoo is UnsafeModelException ? new UnsafeModelException(zoo.Detail, file, at, e) : new ModelFormatException(zoo.Detail, file, at, e);
            }
            catch (Exception e)
            {
                throw new ModelFormatException($"not a readable HDF5 file ({e.Message})", file, at, e);
            }
        }

        private static T? Inner<T>(Exception e) where T : Exception
        {
            for (Exception? x = e; x is not null; x = x.InnerException)
                if (x is T t) return t;
            return null;
        }

        /// <summary>Walks the groups without recursion; the link scan has already bounded their depth and count.</summary>
        private void ReadChildren(IH5Group top, H5TreeGroup topInto, string topPath)
        {
            var pending = new Stack<(IH5Group Group, H5TreeGroup Into, string Path)>();
            pending.Push((top, topInto, topPath));
            while (pending.Count > 0)
            {
                var (group, into, path) = pending.Pop();
                at = path.Length == 0 ? "/" : path;
                foreach (var child in group.Children())
                {
                    var childPath = path + "/" + child.Name;
                    at = childPath;
                    var scanned = CheckIdentity(child, childPath);
                    switch (child)
                    {
                        case IH5Group g:
                            var sub = into.Add(new H5TreeGroup(child.Name));
                            ReadAttributes(g, sub, childPath);
                            pending.Push((g, sub, childPath));
                            break;
                        case IH5Dataset d:
                            into.Add(ReadDataset(d, scanned, childPath));
                            break;
                        default:
                            throw new UnsupportedFeatureException($"'{child.Name}' is a {child.GetType().Name}; only groups and datasets are supported", file, childPath);
                    }
                }
            }
        }

        /// <summary>
        /// What the link scan found at this object's address. Every object PureHDF yields must be one the scan
        /// reached by a hard link: anything else (an unresolved or external link PureHDF made something of) is refused.
        /// </summary>
        private H5ObjectFacts CheckIdentity(IH5Object child, string path)
        {
            if (child is IH5UnresolvedLink unresolved)
                throw new UnsafeModelException(
                    $"link '{child.Name}' does not resolve ({unresolved.Reason?.Message}); Keras files contain only hard links", file, path);
            var (address, _) = PureHdfInternals.Identity(child);
            return facts.TryGetValue(address, out var found)
                ? found
                : throw new UnsafeModelException("object is not reached by a hard link of this file (an external or soft link?); refused", file, path);
        }

        private H5TreeDataset ReadDataset(IH5Dataset d, H5ObjectFacts scanned, string path)
        {
            if (scanned.Layout == H5LayoutKind.Virtual || d.Layout.Class == H5DataLayoutClass.VirtualStorage)
                throw new UnsafeModelException("virtual datasets are refused (they read other files)", file, path);
            if (scanned.HasExternalFiles)
                throw new UnsafeModelException("datasets stored in external raw files are refused", file, path);
            var attributes = new H5TreeGroup("attrs");
            ReadAttributes(d, attributes, path);
            var dtype = H5TypeMap.ToDType(d.Type, attributes.Attributes.String("dtype"))
                ?? throw new UnsupportedFeatureException($"element type {H5TypeMap.Describe(d.Type)} is not a Keras weight type", file, path);
            var shape = Shape(d.Space, path);
            long count = WeightTensor.ElementCount(shape);
            long bytes = checked(count * dtype.Size());
            long allowed = d.Layout.Class == H5DataLayoutClass.Chunked
                ? (long)Math.Min(fileLength * options.MaxCompressionRatio, Array.MaxLength)
                : fileLength;
            if (bytes > allowed || bytes > Array.MaxLength)
                throw new UnsafeModelException(
                    $"dataset declares {bytes} bytes ([{string.Join(",", shape)}] {dtype.KerasName()}) but the file has {fileLength}", file, path);
            var what = $"dataset [{string.Join(",", shape)}] {dtype.KerasName()}";
            budget.Reserve(bytes, what, file, path);
            if (count == 0) return WithAttributes(new H5TreeDataset(d.Name, shape, dtype, Array.Empty<byte>()), attributes);
            var data = H5DirectRead.TryRead(d, source!, fileLength, bytes);
            if (data is null)
            {
                // PureHDF inflates one chunk at a time into a buffer of the chunk's size (and copies it out):
                // a chunk far larger than its dataset only costs memory, and Keras never writes one.
                long chunk = scanned.Layout == H5LayoutKind.Chunked ? scanned.ChunkBytes : 0;
                if (chunk > Math.Max(bytes, MaxChunkSlack))
                    throw new UnsafeModelException($"{what} of {bytes:N0} bytes declares chunks of {chunk:N0} bytes; expected chunks no larger than the dataset (or {MaxChunkSlack >> 20} MiB)", file, path);
                budget.RequireHeadroom(Saturating(chunk, chunk), $"{what} in chunks of {chunk:N0} bytes", file, path);
                data = H5TypeMap.ReadRaw(d, dtype.Size(), bytes);
                // Every chunk leaves its inflated buffer behind as garbage in the large-object heap, which the runtime
                // collects late: a command decoding several chunked datasets held three times their size before a
                // collection ran. Collecting here keeps memory near what the budget counts.
                if (chunk > 0 && bytes >= CollectAfterBytes) GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
            }
            if (data.LongLength != bytes)
                throw new ModelFormatException($"dataset read {data.LongLength} bytes, expected {bytes}", file, path);
            return WithAttributes(new H5TreeDataset(d.Name, shape, dtype, data), attributes);
        }

        private static H5TreeDataset WithAttributes(H5TreeDataset dataset, H5TreeGroup attributes)
        {
            foreach (var (name, value) in attributes.Attributes) dataset.Attributes[name] = value;
            return dataset;
        }

        private static long Saturating(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

        private long[] Shape(IH5Dataspace space, string path) => space.Type switch
        {
            H5DataspaceType.Scalar => Array.Empty<long>(),
            H5DataspaceType.Simple => space.Dimensions.Select(d => d > long.MaxValue
                ? throw new UnsafeModelException($"dimension {d} is out of range", file, path) : (long)d).ToArray(),
            _ => throw new UnsupportedFeatureException($"{space.Type} dataspace is not supported", file, path),
        };

        private void ReadAttributes(IH5Object obj, H5TreeObject into, string path)
        {
            foreach (var a in obj.Attributes())
            {
                at = path + "@" + a.Name;
                into.Attributes[a.Name] = ReadAttribute(a, at);
            }
            at = path;
        }

        private H5AttributeValue ReadAttribute(IH5Attribute a, string path)
        {
            var shape = Shape(a.Space, path);
            bool scalar = shape.Length == 0;
            if (shape.Length > 1)
                throw new UnsupportedFeatureException($"attribute of rank {shape.Length} is not supported", file, path);
            long count = WeightTensor.ElementCount(shape);
            long stored = checked(count * Math.Max(1, a.Type.Size));
            if (stored > fileLength)
                throw new UnsafeModelException($"attribute declares {count} elements of {a.Type.Size} bytes but the file has {fileLength}", file, path);
            switch (a.Type.Class)
            {
                case H5DataTypeClass.String:
                case H5DataTypeClass.VariableLength:
                    var (charSet, isString) = PureHdfInternals.StringInfo(a);
                    if (!isString) throw new UnsupportedFeatureException("variable-length sequences are not supported", file, path);
                    var kind = a.Type.Class == H5DataTypeClass.String ? H5StringKind.Fixed : H5StringKind.Variable;
                    // Strings are kept as UTF-16: twice their bytes. Variable-length ones are counted by what they
                    // reference in the global heap, which one small attribute may reference many times over.
                    long text = kind == H5StringKind.Variable && source is not null ? H5GlobalHeapGuard.Check(a, source, file, path) : stored;
                    budget.Reserve(checked(2 * text), $"string attribute of {count} elements", file, path);
                    var values = count == 0 ? Array.Empty<string>() : a.Read<string[]>().Select(v => v ?? "").ToArray();
                    return new H5StringAttribute(values, kind, charSet, scalar, kind == H5StringKind.Fixed ? a.Type.Size : null);
                default:
                    var dtype = H5TypeMap.ToDType(a.Type, null)
                        ?? throw new UnsupportedFeatureException($"attribute type {H5TypeMap.Describe(a.Type)} is not supported", file, path);
                    budget.Reserve(stored, $"attribute of {count} elements", file, path);
                    var data = count == 0 ? Array.Empty<byte>() : H5TypeMap.ReadRaw(a, dtype.Size());
                    return new H5NumericAttribute(dtype, shape, data);
            }
        }
    }
}
