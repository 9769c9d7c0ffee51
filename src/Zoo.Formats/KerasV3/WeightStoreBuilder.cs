using Zoo.Formats.Hdf5;
using Zoo.Formats.Ir;

namespace Zoo.Formats.KerasV3;

/// <summary>
/// Lays a graph's weights out the way Keras 3 saves them: <c>vars</c> for the model, then
/// <c>layers/&lt;object name&gt;/vars/&lt;i&gt;</c> (and sub-objects such as <c>cell/vars/&lt;i&gt;</c>) per layer,
/// <c>optimizer/vars/&lt;i&gt;</c>. Weights read from a Keras 3 store go back where they came from, into a copy
/// of what the store held besides them; weights from older formats are placed by the layer's class.
/// </summary>
internal sealed class WeightStoreBuilder
{
    private readonly string file;
    private readonly H5TreeGroup root;
    private readonly bool writeNames;

    private WeightStoreBuilder(string file, H5TreeGroup root, bool writeNames)
    {
        this.file = file;
        this.root = root;
        this.writeNames = writeNames;
    }

    /// <summary>The store for <paramref name="graph"/>; optimizer state only when <paramref name="includeOptimizer"/>.</summary>
    public static H5TreeGroup Build(ModelGraph graph, bool includeOptimizer, string file)
    {
        var rest = graph.Metadata.WeightStoreRest;
        var drop = new HashSet<H5TreeObject>(ReferenceEqualityComparer.Instance);
        if (!includeOptimizer && rest?["optimizer"] is { } opt) drop.Add(opt);
        var root = rest is null ? new H5TreeGroup() : StoreTree.CopyWithout(rest, drop);
        // Newer Keras names every vars group after its object; files that never had names stay without.
        bool names = rest is null || (rest[KerasObjectNames.VarsGroup] as H5TreeGroup)?.Attributes.Contains("name") == true;
        var builder = new WeightStoreBuilder(file, root, names);
        try
        {
            builder.EnsureVars("", graph.Name);
            builder.WriteContainer(graph, "");
            if (includeOptimizer) builder.WriteOptimizer(graph);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"expected object paths made of valid HDF5 names: {e.Message}", file, inner: e);
        }
        return root;
    }

    private void WriteContainer(ModelGraph graph, string prefix)
    {
        IEnumerable<(LayerNode Layer, string Path)> layers = graph.HasArchitecture
            ? KerasObjectNames.ContainerPaths(graph).Select(p => (p.Layer, p.Layer.ObjectPath ?? p.Path))
            : graph.Layers.Select(l => (l, l.ObjectPath ?? throw new UnsupportedFeatureException(
                $"layer '{l.Name}' of a weights-only graph has no Keras 3 object path; Keras 3 derives it from the architecture, so load the weights together with their architecture",
                file, l.Name)));
        foreach (var (layer, path) in layers)
        {
            var full = prefix + path;
            EnsureVars(full, layer.Name);
            if (layer.Nested is not null)
            {
                WriteContainer(layer.Nested, full + "/");
                continue;
            }
            foreach (var (objectPath, w) in Place(layer))
                SetDataset($"{full}/{objectPath}", w, layer.Name);
        }
    }

    private void WriteOptimizer(ModelGraph graph)
    {
        // Optimizer state of older formats has another layout per optimizer class; Keras 3 rebuilds fresh state when it is absent.
        if (graph.OptimizerWeights.Count == 0 || graph.OptimizerWeights.Any(w => w.ObjectPath is null)) return;
        foreach (var w in graph.OptimizerWeights) SetDataset($"optimizer/{w.ObjectPath}", w, "optimizer");
    }

    /// <summary>Each weight of a layer with its path below the layer's object.</summary>
    private IEnumerable<(string, WeightTensor)> Place(LayerNode layer)
    {
        if (layer.Weights.All(w => w.ObjectPath is not null)) return layer.Weights.Select(w => (w.ObjectPath!, w));
        var slots = KerasVariableLayout.Slots(layer.ClassName, layer.Config);
        if (slots is null) return layer.Weights.Select((w, i) => ($"{KerasObjectNames.VarsGroup}/{i}", w));
        if (slots.Count != layer.Weights.Count)
            throw new UnsupportedFeatureException(
                $"layer '{layer.Name}' ({layer.ClassName}) has {layer.Weights.Count} weight(s) [{string.Join(", ", layer.Weights.Select(w => w.Name))}]; Keras 3 keeps {slots.Count} [{string.Join(", ", slots.Select(s => s.RelativeName))}], so they cannot be laid out for Keras 3",
                file, layer.Name);
        return slots.Zip(layer.Weights, (s, w) => (s.ObjectPath, w));
    }

    private void EnsureVars(string objectPath, string name)
    {
        var vars = StoreTree.EnsureGroup(root, objectPath.Length == 0 ? KerasObjectNames.VarsGroup : $"{objectPath}/{KerasObjectNames.VarsGroup}", file);
        if (writeNames && !vars.Attributes.Contains("name")) vars.Attributes["name"] = H5StringAttribute.Scalar(name);
    }

    private void SetDataset(string path, WeightTensor w, string owner)
    {
        int slash = path.LastIndexOf('/');
        var parent = StoreTree.EnsureGroup(root, path[..slash], file);
        var leaf = path[(slash + 1)..];
        if (parent[leaf] is not null)
            throw new ModelFormatException($"two weights of '{owner}' map to the same Keras 3 variable path (the second is '{w.Name}')", file, path);
        parent.Add(new H5TreeDataset(leaf, w.Shape, w.DType, w.Data));
    }
}
