using Zoo.Formats.Hdf5;
using Zoo.Formats.Ir;

namespace Zoo.Formats.KerasV3;

/// <summary>
/// Maps a Keras 3 weight store onto a graph. With an architecture the mapping is strict: every layer's
/// variables must be where Keras 3 would have put them, with the shapes its config implies, and no
/// variable may be left without a layer. Without one (a standalone <c>.weights.h5</c>), the store's own
/// groups become the layers. Either way, whatever is not mapped is kept in <see cref="ModelMetadata.WeightStoreRest"/>.
/// </summary>
internal sealed class WeightStoreMapper
{
    private const string OptimizerGroup = "optimizer";

    private readonly string file;
    private readonly HashSet<H5TreeObject> consumed = new(ReferenceEqualityComparer.Instance);

    private WeightStoreMapper(string file) => this.file = file;

    /// <summary>Puts the store's variables onto the layers of <paramref name="graph"/>, strictly.</summary>
    public static void Attach(ModelGraph graph, H5TreeGroup rawStore, string file)
    {
        var store = StoreTree.Normalize(rawStore, file);
        var mapper = new WeightStoreMapper(file);
        mapper.AttachContainer(graph, store, "");
        mapper.RejectUnplaced(store);
        mapper.Finish(graph, store);
    }

    /// <summary>A weights-only graph whose layers are the store's layer groups.</summary>
    public static ModelGraph ReadWeightsOnly(H5TreeGroup rawStore, string file)
    {
        var store = StoreTree.Normalize(rawStore, file);
        var graph = new ModelGraph { HasArchitecture = false, Name = VarsName(store) ?? "model" };
        var mapper = new WeightStoreMapper(file);
        mapper.BuildContainer(graph, store);
        mapper.Finish(graph, store);
        return graph;
    }

    private void Finish(ModelGraph graph, H5TreeGroup store)
    {
        graph.OptimizerWeights.Clear();
        if (store[OptimizerGroup] is H5TreeGroup opt)
            foreach (var (path, d) in StoreTree.Datasets(opt, skipLayers: false))
                graph.OptimizerWeights.Add(Take(d, $"{OptimizerGroup}/{path}", path));
        graph.Metadata.WeightStoreRest = StoreTree.CopyWithout(store, consumed);
    }

    private void AttachContainer(ModelGraph graph, H5TreeGroup? container, string prefix)
    {
        foreach (var (layer, path) in KerasObjectNames.ContainerPaths(graph))
        {
            var group = container?.Find(path) as H5TreeGroup;
            if (layer.Nested is not null)
            {
                AttachContainer(layer.Nested, group, $"{prefix}{path}/");
                continue;
            }
            var found = group is null ? new() : StoreTree.Datasets(group, skipLayers: false);
            layer.Weights.Clear();
            var slots = KerasVariableLayout.Slots(layer.ClassName, layer.Config);
            if (slots is null)
            {
                foreach (var (rel, d) in found) layer.Weights.Add(Take(d, GenericName(layer.Name, rel), rel));
                continue;
            }
            var byPath = found.ToDictionary(f => f.Path, f => f.Dataset, StringComparer.Ordinal);
            foreach (var slot in slots)
            {
                string name = slot.Keras2Name(layer.Name);
                if (!byPath.Remove(slot.ObjectPath, out var d))
                    throw new WeightMismatchException(layer.Name, name, $"{slot.ShapeText} at '{prefix}{path}/{slot.ObjectPath}'", "nothing there", file);
                if (!slot.Accepts(d.Shape))
                    throw new WeightMismatchException(layer.Name, name, slot.ShapeText, $"{ShapeText(d.Shape)} at '{prefix}{path}/{slot.ObjectPath}'", file);
                layer.Weights.Add(Take(d, name, slot.ObjectPath));
            }
            foreach (var (rel, d) in byPath)
                throw new WeightMismatchException(layer.Name, rel,
                    $"only the {slots.Count} variable(s) a {layer.ClassName} keeps ({string.Join(", ", slots.Select(s => s.ObjectPath))})",
                    $"an extra {ShapeText(d.Shape)} at '{prefix}{path}/{rel}'", file);
        }
    }

    private void RejectUnplaced(H5TreeGroup store)
    {
        if (store[KerasObjectNames.LayersGroup] is not H5TreeGroup layers) return;
        foreach (var g in layers.Children.OfType<H5TreeGroup>())
            foreach (var (rel, d) in AllDatasets(g, ""))
                if (!consumed.Contains(d))
                    throw new WeightMismatchException($"{KerasObjectNames.LayersGroup}/{g.Name}", rel,
                        "no variable here (no layer of the architecture has this object path)", ShapeText(d.Shape), file);
    }

    private void BuildContainer(ModelGraph graph, H5TreeGroup container)
    {
        if (container[KerasObjectNames.LayersGroup] is not H5TreeGroup layers) return;
        foreach (var g in layers.Children.OfType<H5TreeGroup>())
        {
            var layer = new LayerNode(KerasVariableLayout.GuessClass(g.Name) ?? "", VarsName(g) ?? g.Name)
            {
                ObjectPath = $"{KerasObjectNames.LayersGroup}/{g.Name}",
            };
            graph.Layers.Add(layer);
            if (g[KerasObjectNames.LayersGroup] is H5TreeGroup)
            {
                layer.Nested = new ModelGraph { HasArchitecture = false, Name = layer.Name, ClassName = layer.ClassName is "" ? "Functional" : layer.ClassName };
                BuildContainer(layer.Nested, g);
                continue;
            }
            var found = StoreTree.Datasets(g, skipLayers: false);
            var slots = layer.ClassName is "" ? null : KerasVariableLayout.Slots(layer.ClassName, new());
            bool slotsFit = slots is not null && slots.Select(s => s.ObjectPath).SequenceEqual(found.Select(f => f.Path))
                            && slots.Zip(found).All(p => p.First.Accepts(p.Second.Dataset.Shape));
            for (int i = 0; i < found.Count; i++)
            {
                var (rel, d) = found[i];
                layer.Weights.Add(Take(d, slotsFit ? slots![i].Keras2Name(layer.Name) : GenericName(layer.Name, rel), rel));
            }
        }
    }

    private WeightTensor Take(H5TreeDataset d, string name, string objectPath)
    {
        consumed.Add(d);
        return new WeightTensor(name, d.Shape, d.DType, d.Data) { ObjectPath = objectPath };
    }

    private static IEnumerable<(string, H5TreeDataset)> AllDatasets(H5TreeGroup g, string prefix)
    {
        foreach (var c in g.Children)
        {
            if (c is H5TreeDataset d) yield return ($"{prefix}{d.Name}", d);
            else if (c is H5TreeGroup sub) foreach (var x in AllDatasets(sub, $"{prefix}{sub.Name}/")) yield return x;
        }
    }

    /// <summary><c>fc1/var_0:0</c>, <c>fc1/cell/var_1:0</c>: a name for a variable Zoo cannot name.</summary>
    private static string GenericName(string layer, string rel)
    {
        var parts = rel.Split('/');
        var kept = new List<string>();
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i] == KerasObjectNames.VarsGroup && i == parts.Length - 2) { kept.Add($"var_{parts[i + 1]}"); break; }
            kept.Add(parts[i]);
        }
        return $"{layer}/{string.Join("/", kept)}:0";
    }

    private static string? VarsName(H5TreeGroup g) => (g[KerasObjectNames.VarsGroup] as H5TreeGroup)?.Attributes.String("name");

    private static string ShapeText(long[] shape) => "[" + string.Join(",", shape) + "]";
}
