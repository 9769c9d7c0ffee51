using System.Text.Json.Nodes;
using Zoo.Formats.Ir;
using Zoo.Formats.Summary;

namespace Zoo.Formats.Config;

/// <summary>
/// Shapes for the <c>__keras_tensor__</c> placeholders of Keras 3 inbound nodes. Keras 3 builds a
/// KerasTensor from each placeholder before swapping in the real tensor by <c>keras_history</c>, and
/// refuses an undefined (null) shape, so every placeholder gets the inferred shape, or a rank-1
/// unknown shape where inference cannot tell.
/// </summary>
internal static class Keras3TensorShapes
{
    public static Func<TensorRef, JsonNode?> For(ModelGraph g)
    {
        GraphShapes? shapes = null;
        return t =>
        {
            try { shapes ??= ShapeInference.Run(g); }
            catch (ZooException) { shapes = new GraphShapes(); }
            var calls = shapes.Layers.GetValueOrDefault(t.Layer);
            var layer = g.FindLayer(t.Layer);
            int call = layer is null ? t.NodeIndex : KerasNodeIndex.CallIndex(layer, t.NodeIndex, g.Metadata.Dialect);
            var outs = calls is not null && call >= 0 && call < calls.Count ? calls[call].Outputs : null;
            var shape = outs is not null && t.TensorIndex < outs.Count ? outs[t.TensorIndex] : null;
            return shape is null
                ? new JsonArray((JsonNode?)null)
                : new JsonArray(shape.Dims.Select(d => d is null ? null : (JsonNode)JsonValue.Create(d.Value)).ToArray());
        };
    }
}
