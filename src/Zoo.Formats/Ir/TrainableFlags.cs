namespace Zoo.Formats.Ir;

/// <summary>Which leaf layers of a model train, by Keras's rule for nested models.</summary>
public static class TrainableFlags
{
    /// <summary>
    /// Each leaf layer's <c>trainable</c> flag AND-ed with every enclosing model's, keyed by path (<c>model/layer</c>
    /// inside nested models), in layer order with nested layers at their place; input layers are left out. Walked
    /// without recursion.
    /// </summary>
    public static Dictionary<string, bool> Effective(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var result = new Dictionary<string, bool>(StringComparer.Ordinal);
        var pending = new Stack<(IEnumerator<LayerNode> Layers, string Prefix, bool Parent)>();
        pending.Push((graph.Layers.GetEnumerator(), "", true));
        while (pending.Count > 0)
        {
            var (layers, prefix, parent) = pending.Peek();
            if (!layers.MoveNext()) { pending.Pop(); continue; }
            var layer = layers.Current;
            if (layer.ClassName == "InputLayer") continue;
            bool on = parent && layer.Trainable;
            if (layer.Nested is not null) pending.Push((layer.Nested.Layers.GetEnumerator(), prefix + layer.Name + "/", on));
            else result[prefix + layer.Name] = on;
        }
        return result;
    }
}
