using System.Text.Json.Nodes;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.Models.Training;

/// <summary>
/// A layer whose weights a trainer updates: a layer of the graph, or a layer a wrapper runs
/// (Bidirectional's two copies, TimeDistributed's inner layer). <paramref name="Path"/> is the graph layer's
/// path (<c>model/layer</c>), shared by a wrapper's inner layers; <paramref name="Node"/> its IR node.
/// </summary>
internal sealed record TrainingLeaf(string Path, LayerNode Node, LoweredLayer Layer)
{
    /// <summary>For a layer a wrapper runs, its name under the wrapper as Keras names its variables (<c>forward_lstm</c>, <c>dense</c>); empty otherwise.</summary>
    public string InnerName { get; init; } = "";

    /// <summary>How optimizer state names the leaf: the layer's name, then the inner layer's (<c>bidirectional/forward_lstm</c>).</summary>
    public string KerasName => Path[(Path.LastIndexOf('/') + 1)..] + (InnerName.Length > 0 ? "/" + InnerName : "");

    /// <summary>
    /// The layers under <paramref name="layer"/> that hold weights themselves: the layer, or, for a wrapper, its
    /// inner layers (recursively). A wrapper's inner layers run on their own tensors (in torch layout), so
    /// gradients must reach those, not the wrapper's Keras-layout copies.
    /// </summary>
    public static IEnumerable<TrainingLeaf> Of(string path, LayerNode node, LoweredLayer layer)
        => layer.InnerLayers.Count == 0 ? new[] { new TrainingLeaf(path, node, layer) }
            : layer.InnerLayers.SelectMany((inner, i) => Of(path, node, inner).Select(l => l with { InnerName = InnerNameOf(layer, i, inner) }));

    // Keras's Bidirectional names its copies forward_<name> and backward_<name>.
    private static string InnerNameOf(LoweredLayer wrapper, int index, LoweredLayer inner)
        => wrapper is BidirectionalLowering ? (index == 0 ? "forward_" : "backward_") + inner.Name : inner.Name;

    /// <summary>
    /// Copies the inner layers' current weights into <paramref name="wrapper"/>'s own (Keras layout, the inner
    /// layers' weights one after another), which is what the wrapper exports; nested wrappers first.
    /// </summary>
    public static void SyncWrapper(LoweredLayer wrapper)
    {
        if (wrapper.InnerLayers.Count == 0) return;
        using var _ = no_grad();
        int offset = 0;
        foreach (var inner in wrapper.InnerLayers)
        {
            SyncWrapper(inner);
            for (int i = 0; i < inner.TrainableTensors.Count; i++)
            {
                using var keras = inner.KerasLayoutOf(i, inner.TrainableTensors[i]);
                wrapper.TrainableTensors[offset + i].copy_(keras);
            }
            offset += inner.TrainableTensors.Count;
        }
    }

    /// <summary>
    /// Refuses recurrent layers whose Keras training would drop inputs or states (<c>dropout</c>,
    /// <c>recurrent_dropout</c> &gt; 0): Zoo's cells run them as at inference, so a fit would not be Keras's.
    /// </summary>
    public void RefuseRecurrentDropout()
    {
        var config = Node.Config["layer"]?["config"] as JsonObject ?? Node.Config;
        foreach (var key in new[] { "dropout", "recurrent_dropout", "dropout_W", "dropout_U" })
            if (config[key] is JsonValue v && v.TryGetValue(out double rate) && rate > 0)
                throw new UnsupportedFeatureException(
                    $"layer '{Path}' ({Node.ClassName}): {key}={rate} cannot be trained yet (Zoo's recurrent cells do not drop in training); set it to 0 or freeze the layer",
                    null, $"layers/{Path}");
    }
}
