using Zoo.Formats.Hdf5;
using Zoo.Formats.Hdf5.Legacy;
using Zoo.Formats.Ir;
using Zoo.Formats.Weights;

namespace Zoo.Formats;

public static partial class KerasFile
{
    private static ModelGraph LoadHdf5(string path, LoadOptions options)
    {
        var root = H5TreeReader.Read(path, options);
        var format = DetectHdf5(root, path);
        var graph = format switch
        {
            KerasFormat.H5Full or KerasFormat.H5Weights => LegacyH5.Read(root, path),
            _ => LoadKeras3Weights(root, path, options),
        };
        graph.Metadata.SourceFormat = format;
        return graph;
    }

    private static KerasFormat DetectHdf5(string path) => DetectHdf5(H5TreeReader.ReadRoot(path, LoadOptions.Default), path);

    private static KerasFormat DetectHdf5(H5TreeGroup root, string path)
    {
        if (LegacyH5.Detect(root) is { } legacy) return legacy;
        if (IsKeras3WeightStore(root)) return KerasFormat.KerasWeights;
        throw new ModelFormatException("expected a Keras HDF5 file (root attribute model_config or layer_names, or a Keras 3 'layers'/'vars' weight store), found none of them", path, "/");
    }

    private static bool IsKeras3WeightStore(H5TreeGroup root)
        => KerasV3.KerasWeightsStore.IsKeras3Store(root);

    /// <summary>
    /// Binds a weights file onto an architecture: legacy H5 weights by layer name (by position, as Keras
    /// pairs them, where stored names are not in the architecture, as when a weights file came from a
    /// re-created model; the graph's warnings say which), Keras 3 weight stores by object path.
    /// </summary>
    private static void BindWeights(ModelGraph arch, string weightsPath, LoadOptions options)
    {
        if (FormatSniffer.Sniff(weightsPath) != Container.Hdf5)
            throw new ModelFormatException("expected an HDF5 weights file, found another kind of file", weightsPath);
        var root = H5TreeReader.Read(weightsPath, options);
        var format = DetectHdf5(root, weightsPath);
        if (format == KerasFormat.KerasWeights)
        {
            AttachKeras3Weights(arch, root, weightsPath);
            return;
        }
        var weights = LegacyH5.Read(root, weightsPath);
        ClearWeights(arch);
        foreach (var sentence in PositionalBinding.Summarize(WeightAttacher.Attach(arch, weights, options.WeightBinding, weightsPath)))
            arch.Warnings.Add($"{Path.GetFileName(weightsPath)}: {sentence}");
        if (format == KerasFormat.H5Full && weights.OptimizerWeights.Count > 0 && arch.OptimizerWeights.Count == 0)
            arch.OptimizerWeights.AddRange(weights.OptimizerWeights);
    }

    private static void ClearWeights(ModelGraph g)
    {
        foreach (var l in g.Layers)
        {
            l.Weights.Clear();
            if (l.Nested is not null) ClearWeights(l.Nested);
        }
    }

    private static void SaveBinary(ModelGraph graph, string path, KerasFormat format, SaveOptions options)
    {
        switch (format)
        {
            case KerasFormat.H5Full:
                LegacyH5.Write(graph, path, options, weightsOnly: false);
                break;
            case KerasFormat.H5Weights:
                LegacyH5.Write(graph, path, options, weightsOnly: true);
                break;
            case KerasFormat.KerasArchive:
                SaveKerasArchive(graph, path, options);
                break;
            case KerasFormat.KerasWeights:
                SaveKeras3Weights(graph, path, options);
                break;
            default:
                throw new UnsupportedFeatureException($"writing {format} is not supported", path);
        }
    }
}
