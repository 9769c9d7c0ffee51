using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;

namespace Zoo.Onnx.Export;

/// <summary>
/// Finds BatchNormalization layers that can be folded into the convolution feeding them: the convolution is
/// channels-last with a linear activation, called once, and the BN (over the channel axis) is the only consumer
/// of its output, which is not itself a model output.
/// </summary>
internal static class BatchNormFolding
{
    /// <summary>Maps each convolution chosen for folding to the BatchNormalization it absorbs.</summary>
    public static Dictionary<LayerNode, (LayerNode Node, BatchNormalizationSpec Spec)> Plan(ModelGraph g, KerasDialectKind dialect)
    {
        var plan = new Dictionary<LayerNode, (LayerNode, BatchNormalizationSpec)>();
        if (g.IsSequential)
        {
            var layers = g.Layers.Where(l => l.ClassName != "InputLayer").ToList();
            for (int i = 0; i + 1 < layers.Count; i++)
                if (Pair(layers[i], layers[i + 1], dialect) is { } bn) plan[layers[i]] = bn;
            return plan;
        }
        var consumers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var l in g.Layers)
            foreach (var call in l.InboundNodes)
                foreach (var r in call.Inputs)
                    consumers[r.Layer] = consumers.GetValueOrDefault(r.Layer) + 1;
        var outputs = g.Outputs.Select(o => o.Layer).ToHashSet(StringComparer.Ordinal);
        foreach (var bn in g.Layers.Where(l => l.ClassName == "BatchNormalization" && l.InboundNodes.Count == 1))
        {
            var ins = bn.InboundNodes[0].Inputs;
            if (ins.Count != 1 || ins[0].NodeIndex != 0 || ins[0].TensorIndex != 0) continue;
            var conv = g.FindLayer(ins[0].Layer);
            if (conv is null || conv.InboundNodes.Count != 1 || consumers.GetValueOrDefault(conv.Name) != 1 || outputs.Contains(conv.Name)) continue;
            if (Pair(conv, bn, dialect) is { } pair) plan[conv] = pair;
        }
        return plan;
    }

    private static (LayerNode, BatchNormalizationSpec)? Pair(LayerNode conv, LayerNode bn, KerasDialectKind dialect)
    {
        if (bn.ClassName != "BatchNormalization" || conv.Nested is not null) return null;
        if (!LayerSpecs.IsKnown(conv.ClassName)) return null;
        var spec = LayerSpecs.Read(conv, dialect);
        int? rank = spec switch
        {
            ConvSpec c when c.Activation == KerasActivation.Linear && c.DataFormat == DataFormat.ChannelsLast => c.Rank,
            DepthwiseConv2DSpec d when d.Activation == KerasActivation.Linear && d.DataFormat == DataFormat.ChannelsLast => 2,
            SeparableConvSpec s when s.Activation == KerasActivation.Linear && s.DataFormat == DataFormat.ChannelsLast => s.Rank,
            _ => null,
        };
        if (rank is not int r) return null;
        var bnSpec = (BatchNormalizationSpec)LayerSpecs.Read(bn, dialect);
        return bnSpec.Axis == -1 || bnSpec.Axis == r + 1 ? (bn, bnSpec) : null;
    }
}
