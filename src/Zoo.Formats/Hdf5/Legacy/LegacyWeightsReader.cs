using Zoo.Formats.Ir;

namespace Zoo.Formats.Hdf5.Legacy;

/// <summary>
/// Reads the weights part of a legacy Keras HDF5 file (the <c>model_weights</c> group of a full model, or
/// the root of a weights-only file) into a <see cref="ModelGraph"/> without architecture: one layer per
/// <c>layer_names</c> entry, its weights in <c>weight_names</c> order, each found at the path its name spells.
/// </summary>
internal static class LegacyWeightsReader
{
    public static ModelGraph Read(H5TreeGroup weightsRoot, string groupPath, string? file)
    {
        var layerNames = H5NameList.Read(weightsRoot, "layer_names", file, groupPath)
            ?? throw new ModelFormatException("expected a 'layer_names' attribute listing the layers, found none", file, groupPath);
        var graph = new ModelGraph { HasArchitecture = false, ClassName = "", Name = "" };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var layerName in layerNames)
        {
            var path = Join(groupPath, layerName);
            if (!seen.Add(layerName))
                throw new ModelFormatException($"expected unique layer names, found '{layerName}' twice in layer_names", file, groupPath);
            // A '/' in a layer name made h5py create nested groups, so the name is followed as a path.
            if (weightsRoot.Find(layerName) is not H5TreeGroup layerGroup)
                throw new ModelFormatException($"expected a group for layer '{layerName}' listed in layer_names, found {(weightsRoot.Find(layerName) is null ? "nothing" : "a dataset")}", file, path);
            var layer = new LayerNode("", layerName);
            layer.Weights.AddRange(ReadWeightList(layerGroup, path, file));
            graph.Layers.Add(layer);
        }
        return graph;
    }

    /// <summary>Reads the datasets a group's <c>weight_names</c> lists, in that order.</summary>
    public static List<WeightTensor> ReadWeightList(H5TreeGroup group, string path, string? file)
    {
        var names = H5NameList.Read(group, "weight_names", file, path)
            ?? throw new ModelFormatException("expected a 'weight_names' attribute, found none", file, path);
        var weights = new List<WeightTensor>(names.Count);
        foreach (var name in names)
        {
            if (group.Find(name) is not H5TreeDataset ds)
                throw new ModelFormatException($"expected a dataset for weight '{name}' listed in weight_names, found {(group.Find(name) is null ? "nothing" : "a group")}", file, Join(path, name));
            weights.Add(new WeightTensor(name, ds.Shape, ds.DType, ds.Data));
        }
        return weights;
    }

    public static string Join(string group, string name) => group.EndsWith('/') ? group + name : group + "/" + name;
}
