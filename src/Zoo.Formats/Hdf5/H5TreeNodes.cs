using Zoo.Formats.Ir;

namespace Zoo.Formats.Hdf5;

/// <summary>
/// A group or dataset of an in-memory HDF5 tree. The tree is what <see cref="H5TreeReader"/> produces
/// and <see cref="H5TreeWriter"/> consumes: HDF5 reduced to what Keras files use (hard-linked groups,
/// contiguous numeric datasets, string and numeric attributes), in a fixed order so writes are deterministic.
/// </summary>
public abstract class H5TreeObject
{
    /// <summary>Creates an object named <paramref name="name"/> (its link name in the parent; "" for the root).</summary>
    protected H5TreeObject(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
    }

    /// <summary>The link name in the parent group ("" for the root group).</summary>
    public string Name { get; }

    /// <summary>Attributes in the order they were read or added (the writer keeps this order).</summary>
    public H5AttributeSet Attributes { get; } = new();
}

/// <summary>A group: ordered children by name, and attributes.</summary>
public sealed class H5TreeGroup : H5TreeObject
{
    private readonly List<H5TreeObject> children = new();
    private readonly Dictionary<string, H5TreeObject> byName = new(StringComparer.Ordinal);

    /// <summary>Creates an empty group.</summary>
    public H5TreeGroup(string name = "") : base(name) { }

    /// <summary>Children in insertion order.</summary>
    public IReadOnlyList<H5TreeObject> Children => children;

    /// <summary>The child named <paramref name="name"/> (one path segment), or null.</summary>
    public H5TreeObject? this[string name] => byName.GetValueOrDefault(name);

    /// <summary>Adds a child; its name must be new in this group, non-empty and free of '/'.</summary>
    public T Add<T>(T child) where T : H5TreeObject
    {
        ArgumentNullException.ThrowIfNull(child);
        if (child.Name.Length == 0 || child.Name.Contains('/') || child.Name is ".")
            throw new ArgumentException($"'{child.Name}' is not a valid HDF5 link name", nameof(child));
        if (!byName.TryAdd(child.Name, child))
            throw new ArgumentException($"group '{Name}' already has a child named '{child.Name}'", nameof(child));
        children.Add(child);
        return child;
    }

    /// <summary>The child group named <paramref name="name"/>, created when absent.</summary>
    public H5TreeGroup GetOrAddGroup(string name)
    {
        if (byName.TryGetValue(name, out var existing))
            return existing as H5TreeGroup
                ?? throw new ArgumentException($"'{name}' in group '{Name}' is a dataset, not a group", nameof(name));
        return Add(new H5TreeGroup(name));
    }

    /// <summary>The group at a '/'-separated relative path, created (with its parents) when absent.</summary>
    public H5TreeGroup EnsureGroup(string path)
    {
        var group = this;
        foreach (var s in path.Split('/', StringSplitOptions.RemoveEmptyEntries)) group = group.GetOrAddGroup(s);
        return group;
    }

    /// <summary>Follows a '/'-separated relative path; null when any segment is missing.</summary>
    public H5TreeObject? Find(string path)
    {
        H5TreeObject? current = this;
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current is not H5TreeGroup g) return null;
            current = g[segment];
        }
        return current;
    }

    /// <summary>Sets (or replaces) the dataset at a '/'-separated path, creating intermediate groups.</summary>
    public H5TreeDataset SetDataset(string path, long[] shape, DType dtype, byte[] data)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0) throw new ArgumentException("empty dataset path", nameof(path));
        var group = this;
        foreach (var s in segments[..^1]) group = group.GetOrAddGroup(s);
        if (group[segments[^1]] is not null)
            throw new ArgumentException($"'{path}' already exists", nameof(path));
        return group.Add(new H5TreeDataset(segments[^1], shape, dtype, data));
    }
}

/// <summary>A dataset: shape, element type and raw little-endian bytes, never converted.</summary>
public sealed class H5TreeDataset : H5TreeObject
{
    /// <summary>Creates a dataset; <paramref name="data"/> must hold exactly product(shape) elements of <paramref name="dtype"/>.</summary>
    public H5TreeDataset(string name, long[] shape, DType dtype, byte[] data) : base(name)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long count = WeightTensor.ElementCount(shape);
        if (count * dtype.Size() != data.LongLength)
            throw new ArgumentException($"dataset '{name}': shape [{string.Join(",", shape)}] of {dtype.KerasName()} needs {count * dtype.Size()} bytes, got {data.LongLength}");
        Shape = shape;
        DType = dtype;
        Data = data;
    }

    /// <summary>Dimensions, outermost first; empty for a scalar dataset.</summary>
    public long[] Shape { get; }

    /// <summary>Element type. <see cref="DType.BFloat16"/> is stored the way Keras 3 stores it (2-byte elements plus a <c>dtype="bfloat16"</c> attribute).</summary>
    public DType DType { get; }

    /// <summary>Raw little-endian element bytes.</summary>
    public byte[] Data { get; }
}
