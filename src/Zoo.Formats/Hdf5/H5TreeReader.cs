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
        using (stream) return Read(stream, path, options);
    }

    /// <summary>Reads an HDF5 file from a readable, seekable stream; <paramref name="fileName"/> names it in errors.</summary>
    public static H5TreeGroup Read(Stream stream, string? fileName = null, LoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var walker = new Walker(fileName, options ?? LoadOptions.Default);
        return walker.Run(stream);
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
        public H5TreeGroup RunRootOnly(Stream stream)
        {
            try
            {
                fileLength = stream.Length;
                source = stream;
                GuardRoot(stream);
                using var h5 = H5File.Open(stream, leaveOpen: true);
                var root = new H5TreeGroup();
                ReadAttributes(h5, root, "/");
                foreach (var child in h5.Children())
                {
                    at = "/" + child.Name;
                    if (child is IH5UnresolvedLink)
                        throw new UnsafeModelException($"link '{child.Name}' is a soft or external link that does not resolve; Keras files contain only hard links", file, at);
                    root.Add(new H5TreeGroup(child.Name));
                }
                return root;
            }
            catch (ZooException) { throw; }
            catch (Exception e)
            {
                throw new ModelFormatException($"not a readable HDF5 file ({e.Message})", file, at, e);
            }
        }

        private readonly HashSet<ulong> seen = new();
        private object? rootFile;
        private Stream? source;
        private long fileLength;
        private string at = "/";

        public H5TreeGroup Run(Stream stream)
        {
            try
            {
                if (!stream.CanRead || !stream.CanSeek) throw new ModelFormatException("stream must be readable and seekable", file);
                fileLength = stream.Length;
                source = stream;
                GuardRoot(stream);
                using var h5 = H5File.Open(stream, leaveOpen: true);
                var (address, owner) = PureHdfInternals.Identity(h5);
                rootFile = owner;
                seen.Add(address);
                var root = new H5TreeGroup();
                ReadAttributes(h5, root, "/");
                ReadChildren(h5, root, "", depth: 1);
                return root;
            }
            catch (ZooException) { throw; }
            catch (Exception e)
            {
                throw new ModelFormatException($"not a readable HDF5 file ({e.Message})", file, at, e);
            }
        }

        private void GuardRoot(Stream stream)
        {
            if (H5ObjectHeaderGuard.RootAddress(stream, file) is { } root) H5ObjectHeaderGuard.Check(stream, root, file, "/");
            stream.Position = 0;
        }

        private void ReadChildren(IH5Group group, H5TreeGroup into, string path, int depth)
        {
            if (depth > MaxDepth)
                throw new UnsafeModelException($"groups nested deeper than {MaxDepth} levels", file, path);
            at = path.Length == 0 ? "/" : path;
            // Each child's object header is checked before PureHDF decodes it (see H5ObjectHeaderGuard).
            foreach (var (name, address) in PureHdfInternals.LinkTargets(group, rootFile))
                H5ObjectHeaderGuard.Check(source!, address, file, path + "/" + name);
            foreach (var child in group.Children())
            {
                var childPath = path + "/" + child.Name;
                at = childPath;
                if (child is IH5UnresolvedLink unresolved)
                    throw new UnsafeModelException(
                        $"link '{child.Name}' is a soft or external link that does not resolve ({unresolved.Reason?.Message}); Keras files contain only hard links",
                        file, childPath);
                CheckIdentity(child, childPath);
                switch (child)
                {
                    case IH5Group g:
                        var sub = into.Add(new H5TreeGroup(child.Name));
                        ReadAttributes(g, sub, childPath);
                        ReadChildren(g, sub, childPath, depth + 1);
                        break;
                    case IH5Dataset d:
                        into.Add(ReadDataset(d, childPath));
                        break;
                    default:
                        throw new UnsupportedFeatureException($"'{child.Name}' is a {child.GetType().Name}; only groups and datasets are supported", file, childPath);
                }
                at = path.Length == 0 ? "/" : path;
            }
        }

        private void CheckIdentity(IH5Object child, string path)
        {
            var (address, owner) = PureHdfInternals.Identity(child);
            if (!ReferenceEquals(owner, rootFile))
                throw new UnsafeModelException("object is reached through an external link into another file", file, path);
            if (!seen.Add(address))
                throw new UnsafeModelException("object is reached by a second link (a soft link or hard-link alias); Keras files link each object once", file, path);
        }

        private H5TreeDataset ReadDataset(IH5Dataset d, string path)
        {
            if (d.Layout.Class == H5DataLayoutClass.VirtualStorage)
                throw new UnsafeModelException("virtual datasets are refused (they read other files)", file, path);
            if (PureHdfInternals.HasExternalFileList(d))
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
            var data = count == 0 ? Array.Empty<byte>()
                : H5DirectRead.TryRead(d, source!, fileLength, bytes) ?? H5TypeMap.ReadRaw(d, dtype.Size());
            if (data.LongLength != bytes)
                throw new ModelFormatException($"dataset read {data.LongLength} bytes, expected {bytes}", file, path);
            var result = new H5TreeDataset(d.Name, shape, dtype, data);
            foreach (var (name, value) in attributes.Attributes) result.Attributes[name] = value;
            return result;
        }

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
            if (checked(count * Math.Max(1, a.Type.Size)) > fileLength)
                throw new UnsafeModelException($"attribute declares {count} elements of {a.Type.Size} bytes but the file has {fileLength}", file, path);
            switch (a.Type.Class)
            {
                case H5DataTypeClass.String:
                case H5DataTypeClass.VariableLength:
                    var (charSet, isString) = PureHdfInternals.StringInfo(a);
                    if (!isString) throw new UnsupportedFeatureException("variable-length sequences are not supported", file, path);
                    var kind = a.Type.Class == H5DataTypeClass.String ? H5StringKind.Fixed : H5StringKind.Variable;
                    if (kind == H5StringKind.Variable && source is not null) H5GlobalHeapGuard.Check(a, source, file, path);
                    var values = count == 0 ? Array.Empty<string>() : a.Read<string[]>().Select(v => v ?? "").ToArray();
                    return new H5StringAttribute(values, kind, charSet, scalar, kind == H5StringKind.Fixed ? a.Type.Size : null);
                default:
                    var dtype = H5TypeMap.ToDType(a.Type, null)
                        ?? throw new UnsupportedFeatureException($"attribute type {H5TypeMap.Describe(a.Type)} is not supported", file, path);
                    var data = count == 0 ? Array.Empty<byte>() : H5TypeMap.ReadRaw(a, dtype.Size());
                    return new H5NumericAttribute(dtype, shape, data);
            }
        }
    }
}
