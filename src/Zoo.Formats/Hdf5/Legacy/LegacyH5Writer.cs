using Zoo.Formats.Config;
using Zoo.Formats.Ir;

using Zoo.Formats.Weights;

namespace Zoo.Formats.Hdf5.Legacy;

/// <summary>
/// Builds the HDF5 tree of a legacy Keras file from a graph: the mirror of <see cref="LegacyH5Reader"/>.
/// A graph read from a legacy HDF5 file is written with that file's attribute kinds; any other graph in
/// tf.keras 2.15's.
/// </summary>
internal static class LegacyH5Writer
{
    public static H5TreeGroup Build(ModelGraph g, SaveOptions o, bool weightsOnly, string? file)
    {
        // Another dialect means other weight names and layouts too (Keras 1 per-gate LSTM tensors become
        // Keras 2's concatenated ones), so the whole graph is translated, not only its config.
        if (o.Dialect is { } target && target != g.Metadata.Dialect && g.HasArchitecture)
        {
            var translated = Dialects.DialectTranslator.TranslateReporting(g, target);
            translated.Metadata.SourceStyle = null;
            translated.Metadata.KerasVersion = null;
            g = translated;
        }
        var style = g.Metadata.SourceStyle as LegacyH5Style ?? LegacyH5Style.TfKeras215;
        var dialect = o.Dialect ?? g.Metadata.Dialect;
        var version = (dialect == g.Metadata.Dialect ? g.Metadata.KerasVersion : null)
                      ?? (dialect == KerasDialectKind.Keras3 ? o.DefaultKeras3Version : o.DefaultKerasVersion);
        var backend = g.Metadata.Backend ?? (style.RootBackend is null ? null : "tensorflow");
        var root = new H5TreeGroup();
        SetString(root, "keras_version", version, style.RootKerasVersion ?? H5StringStyle.VlenUtf8);
        if (backend is not null) SetString(root, "backend", backend, style.RootBackend ?? H5StringStyle.VlenUtf8);

        H5TreeGroup weightsRoot = root;
        if (!weightsOnly)
        {
            if (!g.HasArchitecture)
                throw new UnsupportedFeatureException("a full-model HDF5 file needs an architecture; this graph came from a weights-only file (write it with weightsOnly: true)", file);
            SetString(root, "model_config", KerasJson.Serialize(ModelConfigCodec.Write(g, dialect)), style.ModelConfig);
            weightsRoot = root.Add(new H5TreeGroup("model_weights"));
            if (style.WeightsBackend is { } wb && backend is not null) SetString(weightsRoot, "backend", backend, wb);
            if (style.WeightsKerasVersion is { } wk) SetString(weightsRoot, "keras_version", version, wk);
        }

        var layers = ListedLayers(g);
        H5NameList.Write(weightsRoot, "layer_names", layers.Select(l => l.Name).ToList(), style.LayerNames, file);
        foreach (var layer in layers)
        {
            if (layer.Name.Split('/', StringSplitOptions.RemoveEmptyEntries).Length == 0 || weightsRoot.Find(layer.Name) is not null)
                throw new UnsupportedFeatureException($"layer name '{layer.Name}' is empty or collides with another object in the file", file, layer.Name);
            var group = weightsRoot.EnsureGroup(layer.Name);
            WriteWeightList(group, StoredOrder(layer, g.Metadata.Dialect), style.WeightNames, file);
        }
        if (style.TopLevelModelWeights is { } top && weightsRoot["top_level_model_weights"] is null)
            WriteWeightList(weightsRoot.Add(new H5TreeGroup("top_level_model_weights")), top, style.WeightNames, file);

        if (!weightsOnly && o.IncludeOptimizer && g.TrainingConfig is not null)
            SetString(root, "training_config", KerasJson.Serialize(g.TrainingConfig), style.TrainingConfig);
        // save_weights never writes optimizer state; only a full model carries it.
        if (!weightsOnly && o.IncludeOptimizer && g.OptimizerWeights.Count > 0)
            WriteWeightList(root.Add(new H5TreeGroup("optimizer_weights")), g.OptimizerWeights, style.OptimizerWeightNames, file);
        return root;
    }

    /// <summary>
    /// The layers Keras lists in <c>layer_names</c>: every layer of a functional model, the layers after the
    /// implicit input of a Sequential one, and every entry of a weights-only graph.
    /// </summary>
    private static List<LayerNode> ListedLayers(ModelGraph g)
        => g.HasArchitecture && g.IsSequential ? g.Layers.Where(l => l.ClassName != "InputLayer").ToList() : g.Layers.ToList();

    /// <summary>
    /// A nested model's weights in the order Keras's positional loader expects for the <c>trainable</c> flags being
    /// written: the order its group listed them when no flag changed since (which also keeps the order of layers
    /// Zoo cannot classify), else recomputed from the flags (<see cref="KerasWeightOrder"/>).
    /// </summary>
    private static List<WeightTensor> StoredOrder(LayerNode layer, KerasDialectKind dialect)
    {
        var all = layer.AllWeights().ToList();
        if (layer.Nested is null) return all;
        var computed = KerasWeightOrder.Of(layer, dialect);
        if (layer.StoredWeightOrder is not { } order || order.Count != all.Count
            || layer.StoredTrainableFlags != KerasWeightOrder.TrainableFlags(layer)) return computed;
        var byName = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        foreach (var w in all)
            if (!byName.TryAdd(w.Name, w)) return computed;
        var ordered = new List<WeightTensor>(all.Count);
        foreach (var name in order)
            if (byName.Remove(name, out var w)) ordered.Add(w); else return computed;
        return ordered;
    }

    private static void WriteWeightList(H5TreeGroup group, IReadOnlyList<WeightTensor> weights, H5StringStyle style, string? file)
    {
        H5NameList.Write(group, "weight_names", weights.Select(w => w.Name).ToList(), style, file);
        foreach (var w in weights)
        {
            try
            {
                group.SetDataset(w.Name, w.Shape, w.DType, w.Data);
            }
            catch (ArgumentException e)
            {
                throw new UnsupportedFeatureException($"weight '{w.Name}' cannot be stored at its name's path: {e.Message}", file, group.Name);
            }
        }
    }

    private static void SetString(H5TreeObject obj, string name, string value, H5StringStyle style)
    {
        var charSet = value.All(char.IsAscii) ? style.CharSet : H5CharSet.Utf8;
        obj.Attributes[name] = new H5StringAttribute(new[] { value }, style.Kind, charSet, isScalar: true);
    }
}
