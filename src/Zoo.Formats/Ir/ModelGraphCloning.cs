using System.Text.Json.Nodes;

namespace Zoo.Formats.Ir;

/// <summary>
/// Deep copies of graphs, so that a translation or an edit never reaches back into the graph a
/// reader produced. Weights are shared: <see cref="WeightTensor"/> is immutable.
/// </summary>
public static class ModelGraphCloning
{
    /// <summary>
    /// A copy of <paramref name="graph"/> whose layers, configs, nested graphs, calls and metadata
    /// are new objects; weight tensors and archive asset bytes are shared.
    /// </summary>
    public static ModelGraph DeepClone(this ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var copy = new ModelGraph
        {
            ClassName = graph.ClassName,
            Name = graph.Name,
            HasArchitecture = graph.HasArchitecture,
            InputsAsSingle = graph.InputsAsSingle,
            OutputsAsSingle = graph.OutputsAsSingle,
            ConfigExtras = CloneObject(graph.ConfigExtras),
            Extras = CloneObject(graph.Extras),
            SequentialConfigIsList = graph.SequentialConfigIsList,
            TrainingConfig = graph.TrainingConfig is null ? null : CloneObject(graph.TrainingConfig),
            Metadata = CloneMetadata(graph.Metadata),
        };
        copy.Layers.AddRange(graph.Layers.Select(CloneLayer));
        copy.Inputs.AddRange(graph.Inputs);
        copy.Outputs.AddRange(graph.Outputs);
        copy.OptimizerWeights.AddRange(graph.OptimizerWeights);
        copy.Warnings.AddRange(graph.Warnings);
        return copy;
    }

    /// <summary>A copy of one layer: config, extras, calls and nested graph are new; weights are shared.</summary>
    public static LayerNode CloneLayer(this LayerNode layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var nested = layer.Nested?.DeepClone();
        // A nested model's layer config and entry extras may be the very objects its graph holds
        // (what the codec does, so that editing one edits the other); the copy keeps that sharing.
        var config = nested is not null && ReferenceEquals(layer.Config, layer.Nested!.ConfigExtras) ? nested.ConfigExtras : CloneObject(layer.Config);
        var extras = nested is not null && ReferenceEquals(layer.Extras, layer.Nested!.Extras) ? nested.Extras : CloneObject(layer.Extras);
        var copy = new LayerNode(layer.ClassName, layer.Name, config)
        {
            Extras = extras,
            RawInboundNodes = layer.RawInboundNodes is null ? null : (JsonArray)layer.RawInboundNodes.DeepClone(),
            Nested = nested,
            StoredWeightOrder = layer.StoredWeightOrder is null ? null : new List<string>(layer.StoredWeightOrder),
            StoredTrainableFlags = layer.StoredTrainableFlags,
            ObjectPath = layer.ObjectPath,
        };
        copy.InboundNodes.AddRange(layer.InboundNodes.Select(CloneCall));
        copy.Weights.AddRange(layer.Weights);
        return copy;
    }

    /// <summary>A copy of one call with its own kwargs object.</summary>
    public static NodeCall CloneCall(this NodeCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new NodeCall(call.Inputs, CloneObject(call.Kwargs), call.InputsAsList);
    }

    private static ModelMetadata CloneMetadata(ModelMetadata m)
    {
        var copy = new ModelMetadata
        {
            RandomWeights = m.RandomWeights,
            KerasVersion = m.KerasVersion,
            Backend = m.Backend,
            Dialect = m.Dialect,
            SourceFormat = m.SourceFormat,
            ArchiveMetadata = m.ArchiveMetadata is null ? null : CloneObject(m.ArchiveMetadata),
            SourceStyle = m.SourceStyle,
            // Writers lay weights into a copy of this template and never change it, so sharing is safe.
            WeightStoreRest = m.WeightStoreRest,
        };
        foreach (var (k, v) in m.ArchiveAssets) copy.ArchiveAssets[k] = v;
        return copy;
    }

    private static JsonObject CloneObject(JsonObject o) => (JsonObject)o.DeepClone();
}
