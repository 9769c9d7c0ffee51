namespace Zoo.Formats.Ir;

/// <summary>
/// How Keras numbers the calls of a layer in <see cref="TensorRef.NodeIndex"/>. A model used as a layer
/// that was built on an Input already owns node 0 (its own input-to-output link), which Keras never
/// saves: its first saved call is node 1 (tf.keras's <c>_should_skip_first_node</c>; Keras 3 and
/// tfjs-layers do the same for Functional models). Keras 3's Sequential is not a Functional, so its
/// calls start at 0 there. The one place that knows this; every graph walker maps through it.
/// </summary>
public static class KerasNodeIndex
{
    /// <summary>The node index of the layer's first saved call (<see cref="LayerNode.InboundNodes"/>[0]).</summary>
    public static int FirstSavedNode(LayerNode layer, KerasDialectKind dialect)
    {
        if (layer.Nested is not { } nested) return 0;
        return layer.ClassName switch
        {
            "Sequential" => dialect != KerasDialectKind.Keras3 && SequentialHasInput(nested) ? 1 : 0,
            _ => 1,
        };
    }

    /// <summary>The index into <see cref="LayerNode.InboundNodes"/> that node <paramref name="nodeIndex"/> names; -1 when it names the unsaved node 0.</summary>
    public static int CallIndex(LayerNode layer, int nodeIndex, KerasDialectKind dialect)
        => nodeIndex - FirstSavedNode(layer, dialect);

    /// <summary>The node index of call <paramref name="callIndex"/>.</summary>
    public static int NodeIndex(LayerNode layer, int callIndex, KerasDialectKind dialect)
        => callIndex + FirstSavedNode(layer, dialect);

    // A Sequential model built without an input shape has no pre-existing node.
    private static bool SequentialHasInput(ModelGraph g)
    {
        if (g.Layers.Count == 0) return false;
        var first = g.Layers[0];
        return first.ClassName == "InputLayer"
               || first.Config["batch_input_shape"] is not null || first.Config["input_shape"] is not null
               || first.Config["batch_shape"] is not null || first.Config["input_dim"] is not null;
    }
}
