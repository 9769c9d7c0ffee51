using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Ir;
using Zoo.Formats.Weights;

namespace Zoo.Formats.Hdf5.Legacy;

/// <summary>Turns the HDF5 tree of a legacy Keras file into a <see cref="ModelGraph"/>.</summary>
internal static class LegacyH5Reader
{
    public static ModelGraph Read(H5TreeGroup root, string? file)
    {
        var kind = LegacyH5.Detect(root)
            ?? throw new ModelFormatException("expected a Keras HDF5 file (root attribute 'model_config' or 'layer_names'), found neither", file, "/");
        var weightsRoot = root;
        var weightsPath = "/";
        if (kind == KerasFormat.H5Full)
        {
            weightsPath = "/model_weights";
            weightsRoot = root["model_weights"] as H5TreeGroup
                ?? throw new ModelFormatException("expected a 'model_weights' group beside 'model_config', found none", file, weightsPath);
        }
        var weights = LegacyWeightsReader.Read(weightsRoot, weightsPath, file);
        ModelGraph graph;
        if (kind == KerasFormat.H5Full)
        {
            var version = root.Attributes.String("keras_version");
            var configText = RequiredString(root, "model_config", file);
            graph = ModelConfigCodec.Parse(KerasJson.Parse(configText, file, "/@model_config"), file, version);
            graph.Warnings.AddRange(PositionalBinding.Summarize(WeightAttacher.Attach(graph, weights, WeightBinding.ByName, file)));
            if (root.Attributes["training_config"] is not null)
            {
                var training = KerasJson.Parse(RequiredString(root, "training_config", file), file, "/@training_config");
                graph.TrainingConfig = training as JsonObject
                    ?? throw new ModelFormatException("expected training_config to be a JSON object", file, "/@training_config");
            }
        }
        else graph = weights;

        if (root["optimizer_weights"] is H5TreeGroup opt)
            graph.OptimizerWeights.AddRange(LegacyWeightsReader.ReadWeightList(opt, "/optimizer_weights", file));
        graph.Metadata.KerasVersion = root.Attributes.String("keras_version") ?? graph.Metadata.KerasVersion;
        graph.Metadata.Backend = root.Attributes.String("backend") ?? graph.Metadata.Backend;
        graph.Metadata.SourceFormat = kind;
        graph.Metadata.SourceStyle = StyleOf(root, weightsRoot, weightsPath, file);
        return graph;
    }

    private static string RequiredString(H5TreeGroup root, string name, string? file)
        => root.Attributes.String(name) ?? throw new ModelFormatException($"expected attribute '{name}' to be one string", file, "/@" + name);

    private static LegacyH5Style StyleOf(H5TreeGroup root, H5TreeGroup weightsRoot, string weightsPath, string? file)
    {
        H5StringStyle? styleOf(H5TreeObject o, string name) => o.Attributes[name] is H5StringAttribute s ? H5StringStyle.Of(s) : null;
        var firstWeightNames = weightsRoot.Children.OfType<H5TreeGroup>()
            .Select(g => H5NameList.StyleOf(g, "weight_names")).FirstOrDefault(s => s is not null);
        IReadOnlyList<WeightTensor>? topLevel = weightsRoot["top_level_model_weights"] is H5TreeGroup top
            ? LegacyWeightsReader.ReadWeightList(top, LegacyWeightsReader.Join(weightsPath, "top_level_model_weights"), file)
            : null;
        var fallback = LegacyH5Style.TfKeras215;
        return new LegacyH5Style
        {
            RootKerasVersion = styleOf(root, "keras_version"),
            RootBackend = styleOf(root, "backend"),
            ModelConfig = styleOf(root, "model_config") ?? fallback.ModelConfig,
            TrainingConfig = styleOf(root, "training_config") ?? styleOf(root, "model_config") ?? fallback.TrainingConfig,
            WeightsKerasVersion = ReferenceEquals(root, weightsRoot) ? null : styleOf(weightsRoot, "keras_version"),
            WeightsBackend = ReferenceEquals(root, weightsRoot) ? null : styleOf(weightsRoot, "backend"),
            LayerNames = H5NameList.StyleOf(weightsRoot, "layer_names") ?? fallback.LayerNames,
            WeightNames = firstWeightNames ?? H5NameList.StyleOf(weightsRoot, "layer_names") ?? fallback.WeightNames,
            OptimizerWeightNames = (root["optimizer_weights"] is H5TreeGroup o ? H5NameList.StyleOf(o, "weight_names") : null)
                                   ?? firstWeightNames ?? fallback.OptimizerWeightNames,
            TopLevelModelWeights = topLevel,
        };
    }
}
