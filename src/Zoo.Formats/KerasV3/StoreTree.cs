using Zoo.Formats.Hdf5;

namespace Zoo.Formats.KerasV3;

/// <summary>
/// Tree chores on a Keras 3 weight store: undoing the Windows path bug of tf.keras 2.15 (root groups
/// literally named <c>layers\dense</c>) and the 2.13 group name <c>_layer_checkpoint_dependencies</c>,
/// listing a group's datasets in Keras's variable order, and copying a tree without some of its objects.
/// </summary>
internal static class StoreTree
{
    /// <summary>tf.keras 2.13 named the layers group this way; Keras 3 reads it as <c>layers</c>.</summary>
    private const string LegacyLayersGroup = "_layer_checkpoint_dependencies";

    /// <summary>A copy of <paramref name="root"/> where backslash-joined root names become nested groups.</summary>
    public static H5TreeGroup Normalize(H5TreeGroup root, string file)
    {
        try
        {
            return NormalizeCore(root, file);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"expected valid group names once backslash paths are split: {e.Message}", file, "/", e);
        }
    }

    private static H5TreeGroup NormalizeCore(H5TreeGroup root, string file)
    {
        var result = new H5TreeGroup();
        CopyAttributes(root, result);
        foreach (var child in root.Children)
        {
            // Count before splitting: a name of 100,000 backslash-separated parts would otherwise become as many
            // nested groups (and as many strings) before any depth limit saw them.
            int parts = child.Name.AsSpan().Count('\\') + 1;
            if (parts > H5TreeReader.MaxDepth)
                throw new UnsafeModelException($"expected a backslash-joined group name of at most {H5TreeReader.MaxDepth} parts, found {parts:N0}", file, "/" + Abbreviate(child.Name));
            var segments = child.Name.Split('\\', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length == 0) segments = new[] { child.Name };
            if (segments[0] == LegacyLayersGroup) segments[0] = KerasObjectNames.LayersGroup;
            var parent = result;
            foreach (var s in segments[..^1]) parent = GroupIn(parent, s, file, child.Name);
            Merge(parent, Renamed(child, segments[^1]), file, child.Name);
        }
        RequireDepth(result, file);
        return result;
    }

    /// <summary>Splitting names nests groups deeper than the file did: the result is held to the reader's depth limit, measured without recursion.</summary>
    private static void RequireDepth(H5TreeGroup root, string file)
    {
        var pending = new Stack<(H5TreeGroup Group, int Depth, string Path)>();
        pending.Push((root, 0, ""));
        while (pending.Count > 0)
        {
            var (group, depth, path) = pending.Pop();
            foreach (var child in group.Children.OfType<H5TreeGroup>())
            {
                if (depth + 1 > H5TreeReader.MaxDepth)
                    throw new UnsafeModelException($"groups nest deeper than {H5TreeReader.MaxDepth} levels once backslash-joined names are split", file, Abbreviate(path + "/" + child.Name));
                pending.Push((child, depth + 1, path + "/" + child.Name));
            }
        }
    }

    private static string Abbreviate(string s) => s.Length > 120 ? s[..120] + "…" : s;

    /// <summary>
    /// The datasets below <paramref name="group"/> in the order Keras creates them: the group's own
    /// <c>vars/0</c>, <c>vars/1</c>… (numerically), then each sub-object's, sub-objects by name. A child
    /// named <c>layers</c> is a nested model's container and is left out when <paramref name="skipLayers"/>.
    /// </summary>
    public static List<(string Path, H5TreeDataset Dataset)> Datasets(H5TreeGroup group, bool skipLayers, string prefix = "")
    {
        var result = new List<(string, H5TreeDataset)>();
        if (group[KerasObjectNames.VarsGroup] is H5TreeGroup vars)
            foreach (var d in vars.Children.OfType<H5TreeDataset>().OrderBy(d => d.Name, VarNameOrder.Instance))
                result.Add(($"{prefix}{KerasObjectNames.VarsGroup}/{d.Name}", d));
        foreach (var d in group.Children.OfType<H5TreeDataset>().OrderBy(d => d.Name, VarNameOrder.Instance))
            result.Add(($"{prefix}{d.Name}", d));
        foreach (var g in group.Children.OfType<H5TreeGroup>().OrderBy(g => g.Name, StringComparer.Ordinal))
        {
            if (g.Name == KerasObjectNames.VarsGroup) continue;
            if (skipLayers && g.Name == KerasObjectNames.LayersGroup) continue;
            result.AddRange(Datasets(g, skipLayers: false, $"{prefix}{g.Name}/"));
        }
        return result;
    }

    /// <summary>A deep copy of <paramref name="group"/> leaving out the objects in <paramref name="drop"/> (by reference).</summary>
    public static H5TreeGroup CopyWithout(H5TreeGroup group, IReadOnlySet<H5TreeObject> drop, string? newName = null)
    {
        var copy = new H5TreeGroup(newName ?? group.Name);
        CopyAttributes(group, copy);
        foreach (var child in group.Children)
        {
            if (drop.Contains(child)) continue;
            copy.Add<H5TreeObject>(child switch
            {
                H5TreeGroup g => CopyWithout(g, drop),
                H5TreeDataset d => CopyDataset(d, d.Name),
                _ => throw new InvalidOperationException($"unexpected HDF5 tree node {child.GetType().Name}"),
            });
        }
        return copy;
    }

    /// <summary>The group at a '/'-separated path below <paramref name="root"/>, created (with its parents) when absent.</summary>
    public static H5TreeGroup EnsureGroup(H5TreeGroup root, string path, string file)
    {
        var g = root;
        foreach (var s in path.Split('/', StringSplitOptions.RemoveEmptyEntries)) g = GroupIn(g, s, file, path);
        return g;
    }

    /// <summary>Copies every attribute of <paramref name="from"/> onto <paramref name="to"/>.</summary>
    public static void CopyAttributes(H5TreeObject from, H5TreeObject to)
    {
        foreach (var (k, v) in from.Attributes) to.Attributes[k] = v;
    }

    private static H5TreeGroup GroupIn(H5TreeGroup parent, string name, string file, string path)
    {
        if (parent[name] is { } existing and not H5TreeGroup)
            throw new ModelFormatException($"expected '{name}' to be a group, found a dataset", file, path);
        return parent.GetOrAddGroup(name);
    }

    private static H5TreeObject Renamed(H5TreeObject o, string name) => o switch
    {
        H5TreeGroup g when g.Name == name => g,
        H5TreeGroup g => CopyWithout(g, new HashSet<H5TreeObject>(), name),
        H5TreeDataset d => d.Name == name ? d : CopyDataset(d, name),
        _ => o,
    };

    private static H5TreeDataset CopyDataset(H5TreeDataset d, string name)
    {
        var copy = new H5TreeDataset(name, d.Shape, d.DType, d.Data);
        CopyAttributes(d, copy);
        return copy;
    }

    private static void Merge(H5TreeGroup parent, H5TreeObject child, string file, string path)
    {
        var existing = parent[child.Name];
        if (existing is null) { parent.Add(child); return; }
        if (existing is not H5TreeGroup target || child is not H5TreeGroup source)
            throw new ModelFormatException($"two objects map to '{child.Name}' once backslash paths are split; expected one", file, path);
        CopyAttributes(source, target);
        foreach (var c in source.Children) Merge(target, c, file, path);
    }

    /// <summary>Orders <c>0, 1, 2, …, 10</c> numerically, then any other names ordinally.</summary>
    private sealed class VarNameOrder : IComparer<string>
    {
        public static readonly VarNameOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            bool xn = long.TryParse(x, out long a), yn = long.TryParse(y, out long b);
            if (xn && yn) return a.CompareTo(b);
            if (xn != yn) return xn ? -1 : 1;
            return string.CompareOrdinal(x, y);
        }
    }
}
