using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.FineTune.Freezing;

/// <summary>
/// Replaces a model's classifier head with the one Keras's transfer-learning guide adds
/// (<see cref="ClassifierHead"/>: GlobalAveragePooling2D when the base ends in feature maps, Dropout, and a Dense
/// layer with one unit per class), written in the model's own Keras dialect (tf.keras 2 or Keras 3).
/// </summary>
public static class HeadReplacer
{
    /// <summary>A copy of <paramref name="graph"/> whose head is new (see the class summary).</summary>
    /// <exception cref="UnsupportedFeatureException">The graph is a Keras 1 graph, or its base has several outputs.</exception>
    public static ModelGraph Replace(ModelGraph graph, int classes, double dropout = 0.2, string activation = "softmax", int seed = 0)
    {
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "a head needs at least one class");
        if (graph.Metadata.Dialect == KerasDialectKind.Keras1)
            throw new UnsupportedFeatureException($"model '{graph.Name}': head replacement writes Keras 2 or Keras 3 configs; convert this Keras 1 model first (zoo-convert convert --dialect keras2)");
        var copy = graph.DeepClone();
        var parts = ModelParts.Of(copy);
        var headNames = parts.Head.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        var lastBase = parts.Base.Count > 0 ? parts.Base[^1] : throw new UnsupportedFeatureException($"model '{graph.Name}': no base layers to put a head on");
        var baseOut = BaseOutput(copy, parts);
        var shapes = ModelParts.OutputShapes(copy);
        // Activations are keyed by call (layer#k for call k), and a nested base's first call is Keras node 1.
        int call = baseOut is { } r ? KerasNodeIndex.CallIndex(copy.GetLayer(r.Layer), r.NodeIndex, copy.Metadata.Dialect) : 0;
        var outKey = baseOut is { } b ? (call == 0 ? b.Layer : $"{b.Layer}#{call}") : lastBase.Name;
        var outShape = shapes.TryGetValue(outKey, out var s) ? s
            : throw new UnsupportedFeatureException($"model '{graph.Name}': the base output '{outKey}' was not computed");

        copy.Layers.RemoveAll(l => headNames.Contains(l.Name));
        var x = ClassifierHead.Append(copy, baseOut, outShape, new ClassifierHeadOptions { Classes = classes, Dropout = dropout, Activation = activation, Seed = seed });
        if (!copy.IsSequential)
        {
            copy.Outputs.Clear();
            copy.Outputs.Add(x!.Value);
        }
        return copy;
    }

    private static TensorRef? BaseOutput(ModelGraph g, ModelParts parts)
    {
        if (g.IsSequential) return null;
        if (parts.Head.Count == 0)
            return g.Outputs.Count == 1 ? g.Outputs[0] : throw new UnsupportedFeatureException($"model '{g.Name}': a new head needs a single base output, found {g.Outputs.Count}");
        var first = parts.Head[0];
        if (first.InboundNodes.Count != 1 || first.InboundNodes[0].Inputs.Count != 1)
            throw new UnsupportedFeatureException($"model '{g.Name}': the head's first layer '{first.Name}' must be called once on one tensor");
        return first.InboundNodes[0].Inputs[0];
    }
}
