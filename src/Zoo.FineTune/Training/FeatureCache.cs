using System.Text.Json.Nodes;
using Zoo.FineTune.Freezing;
using Zoo.Formats.Ir;
using static TorchSharp.torch;

namespace Zoo.FineTune.Training;

/// <summary>
/// When the whole base is frozen and holds nothing random in training (no Dropout or noise layers, or only inside
/// a call made with <c>training=False</c>), its output for a sample never changes, so it is computed once and the
/// head trains on it: the same steps as the uncached path, without running the base every epoch.
/// </summary>
internal static class FeatureCache
{
    private static readonly HashSet<string> RandomInTraining = new(StringComparer.Ordinal)
    {
        "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise", "GaussianDropout", "AlphaDropout",
    };

    /// <summary>True for layer classes that draw random numbers in training (Dropout and noise layers).</summary>
    public static bool IsRandomInTraining(string className) => RandomInTraining.Contains(className);

    /// <summary>The base's output call (a top-level layer and node) when the cache applies to <paramref name="graph"/>; null otherwise.</summary>
    public static (string Layer, int Node)? BaseOutput(ModelGraph graph)
    {
        var parts = ModelParts.Of(graph);
        if (parts.Head.Count == 0 || parts.Base.Count == 0) return null;
        if (!graph.IsSequential && (graph.Inputs.Count != 1 || graph.Outputs.Count != 1)) return null;
        var effective = TrainableFlags.Effective(graph);
        var leaves = parts.BaseLeaves();
        // Layers under a top-level call made with training=False never draw (Keras passes the flag down).
        var inference = parts.Base.Where(l => l.InboundNodes.Count > 0 && l.InboundNodes.All(n => n.Kwargs["training"] is JsonValue v && v.TryGetValue(out bool t) && !t))
            .Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        bool Draws((string Path, LayerNode Node) leaf) => RandomInTraining.Contains(leaf.Node.ClassName) && !inference.Contains(leaf.Path.Split('/')[0]);
        if (leaves.Any(l => effective.GetValueOrDefault(l.Path, true) || Draws(l))) return null;
        if (graph.IsSequential) return (parts.Base[^1].Name, 0);
        var first = parts.Head[0];
        if (first.InboundNodes.Count != 1 || first.InboundNodes[0].Inputs.Count != 1) return null;
        var from = first.InboundNodes[0].Inputs[0];
        if (from.TensorIndex != 0) return null;
        // Every head call must read only head layers or the base output.
        var head = parts.Head.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        bool closed = parts.Head.All(l => l.InboundNodes.All(n => n.Inputs.All(i => head.Contains(i.Layer) || (i.Layer == from.Layer && i.NodeIndex == from.NodeIndex))));
        return closed ? (from.Layer, from.NodeIndex) : null;
    }

}
