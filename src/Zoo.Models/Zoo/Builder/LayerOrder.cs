using Zoo.Formats.Ir;

namespace Zoo.Models.ModelZoo.Builder;

/// <summary>
/// The order in which a Keras functional model lists its layers (<c>model.layers</c>, the config's
/// <c>layers</c>, the H5 <c>layer_names</c>): by depth from the outputs, deepest first, ties broken by the
/// order a depth-first walk from the outputs first reached each layer. Positional weight binding depends
/// on reproducing it exactly.
/// </summary>
internal static class LayerOrder
{
    /// <summary>The layers of <paramref name="layers"/> reachable from <paramref name="outputs"/>, in Keras order.</summary>
    public static List<LayerNode> Of(IReadOnlyDictionary<string, LayerNode> layers, IReadOnlyList<TensorRef> inputs, IReadOnlyList<TensorRef> outputs)
    {
        var finished = new HashSet<(string, int)>();
        var postOrder = new List<(string Layer, int Node)>();
        var firstSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var o in outputs) Visit((o.Layer, o.NodeIndex), layers, finished, postOrder, firstSeen);

        var nodeDepth = new Dictionary<(string, int), int>();
        var layerDepth = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = postOrder.Count - 1; i >= 0; i--)
        {
            var node = postOrder[i];
            int depth = nodeDepth.GetValueOrDefault(node, 0);
            // A shared layer takes the greatest depth of any of its calls.
            depth = Math.Max(depth, layerDepth.GetValueOrDefault(node.Layer, 0));
            layerDepth[node.Layer] = depth;
            nodeDepth[node] = depth;
            foreach (var parent in Parents(layers, node))
                nodeDepth[parent] = Math.Max(depth + 1, nodeDepth.GetValueOrDefault(parent, 0));
        }
        foreach (var input in inputs)
            if (!layerDepth.ContainsKey(input.Layer)) { layerDepth[input.Layer] = 0; firstSeen[input.Layer] = -1; }

        return layerDepth
            .OrderByDescending(p => p.Value)
            .ThenBy(p => firstSeen[p.Key])
            .Select(p => layers[p.Key])
            .ToList();
    }

    private static void Visit((string Layer, int Node) node, IReadOnlyDictionary<string, LayerNode> layers,
        HashSet<(string, int)> finished, List<(string, int)> postOrder, Dictionary<string, int> firstSeen)
    {
        if (finished.Contains(node)) return;
        firstSeen.TryAdd(node.Layer, firstSeen.Count);
        // Builder graphs are acyclic by construction (a call only sees tensors that already exist).
        foreach (var parent in Parents(layers, node)) Visit(parent, layers, finished, postOrder, firstSeen);
        finished.Add(node);
        postOrder.Add(node);
    }

    private static IEnumerable<(string, int)> Parents(IReadOnlyDictionary<string, LayerNode> layers, (string Layer, int Node) node)
    {
        var calls = layers[node.Layer].InboundNodes;
        return node.Node < calls.Count ? calls[node.Node].Inputs.Select(t => (t.Layer, t.NodeIndex)) : [];
    }
}
