using Zoo.Formats.Hdf5;
using Zoo.Formats.IO;
using Zoo.Formats.Ir;

namespace Zoo.Formats.KerasV3;

/// <summary>
/// Keras 3 weight stores (<c>model.save_weights("x.weights.h5")</c>, and the <c>model.weights.h5</c> inside a
/// <c>.keras</c> archive): variables keyed by object path, <c>layers/&lt;object name&gt;/vars/&lt;i&gt;</c>.
/// </summary>
public static class KerasWeightsStore
{
    /// <summary>
    /// Reads a standalone <c>.weights.h5</c> into a weights-only graph (<see cref="ModelGraph.HasArchitecture"/> false):
    /// one layer per <c>layers/…</c> group, named by the group's <c>name</c> attribute when Keras wrote one.
    /// </summary>
    public static ModelGraph Read(string path, LoadOptions? options = null)
    {
        var graph = WeightStoreMapper.ReadWeightsOnly(ReadStore(path, options), path);
        graph.Metadata.SourceFormat = KerasFormat.KerasWeights;
        graph.Metadata.Dialect = KerasDialectKind.Keras3;
        return graph;
    }

    /// <summary>
    /// Writes the graph's weights as Keras 3 would save them for this model, so <c>model.load_weights</c> reads
    /// them. A graph with an architecture may come from any format; a weights-only graph must come from a Keras 3 store.
    /// </summary>
    public static void Write(ModelGraph graph, string path, SaveOptions? options = null)
    {
        options ??= SaveOptions.Default;
        var storeGraph = !graph.HasArchitecture || graph.Metadata.Dialect == KerasDialectKind.Keras3
            ? graph : Dialects.DialectTranslator.TranslateReporting(graph, KerasDialectKind.Keras3);
        var store = WeightStoreBuilder.Build(storeGraph, options.IncludeOptimizer, path);
        H5TreeWriter.Write(store, path, options.Progress);
    }

    /// <summary>
    /// Puts the variables of the Keras 3 weight store at <paramref name="path"/> onto the layers of
    /// <paramref name="architecture"/>; missing, extra or wrongly shaped variables raise <see cref="WeightMismatchException"/>.
    /// </summary>
    internal static void Attach(ModelGraph architecture, string path, LoadOptions? options = null)
        => WeightStoreMapper.Attach(architecture, ReadStore(path, options), path);

    /// <summary>True when an HDF5 tree looks like a Keras 3 store rather than a legacy H5 file.</summary>
    internal static bool IsKeras3Store(H5TreeGroup root)
        => !root.Attributes.Contains("layer_names") && !root.Attributes.Contains("model_config")
           && root.Children.Any(c => c.Name is "layers" or "vars" or "optimizer" or "_layer_checkpoint_dependencies"
                                     || c.Name.StartsWith("layers\\", StringComparison.Ordinal));

    private static H5TreeGroup ReadStore(string path, LoadOptions? options)
    {
        if (path.EndsWith(".weights.json", StringComparison.OrdinalIgnoreCase))
            throw new UnsupportedFeatureException("sharded Keras 3 weights (save_weights(max_shard_size=...), a .weights.json map plus shards) are not supported; save without max_shard_size", path);
        var root = H5TreeReader.Read(path, options);
        if (!IsKeras3Store(root))
            throw new ModelFormatException("expected a Keras 3 weight store (groups layers/, vars/, optimizer/), found an HDF5 file without them (a legacy H5 file has root attribute layer_names or model_config)", path);
        return root;
    }
}
