using System.Text.Json.Nodes;
using Zoo.Formats.Ir;
using Zoo.Formats.Summary.Rules;

namespace Zoo.Formats.Summary;

/// <summary>The input and output shapes of every call of every layer of one graph, and of the graph itself.</summary>
internal sealed class GraphShapes
{
    /// <summary>Per layer name: for each call (node index), its input and output shapes; null where unknown.</summary>
    public Dictionary<string, List<NodeShapes>> Layers { get; } = new(StringComparer.Ordinal);

    /// <summary>The model's output shapes in <c>output_layers</c> order.</summary>
    public List<TensorShape?> Outputs { get; } = new();

    /// <summary>The calls of <paramref name="layer"/>, created on first use.</summary>
    public List<NodeShapes> Of(string layer)
    {
        if (!Layers.TryGetValue(layer, out var list)) Layers[layer] = list = new();
        return list;
    }
}

/// <summary>One call of a layer: the shapes it was given and the shapes it produced.</summary>
/// <param name="Inputs">Input shapes, or null when one of them is unknown.</param>
/// <param name="Outputs">Output shapes, or null when unknown.</param>
internal sealed record NodeShapes(IReadOnlyList<TensorShape>? Inputs, IReadOnlyList<TensorShape>? Outputs);

/// <summary>
/// Propagates shapes through a graph: in layer order for Sequential models, by resolving each call's
/// input tensors for functional ones (so layer order, shared layers and nested models all work).
/// </summary>
internal static class ShapeInference
{
    /// <summary>Infers shapes; <paramref name="given"/> overrides the declared input shapes (a nested model's call).</summary>
    public static GraphShapes Run(ModelGraph g, IReadOnlyList<TensorShape>? given = null)
        => g.IsSequential || (g.Inputs.Count == 0 && g.Layers.All(l => l.InboundNodes.Count == 0))
            ? Sequential(g, given?.FirstOrDefault())
            : Functional(g, given);

    /// <summary>One call of a layer, nested models included.</summary>
    public static IReadOnlyList<TensorShape>? Call(LayerNode layer, IReadOnlyList<TensorShape>? inputs)
    {
        if (inputs is null) return null;
        if (layer.Nested is { } nested)
        {
            var outs = Run(nested, inputs).Outputs;
            return outs.Count > 0 && outs.All(o => o is not null) ? outs.Select(o => o!).ToList() : null;
        }
        return LayerRules.Shapes(layer, inputs);
    }

    private static GraphShapes Sequential(ModelGraph g, TensorShape? given)
    {
        var result = new GraphShapes();
        TensorShape? current = given ?? DeclaredInput(g);
        foreach (var layer in g.Layers)
        {
            if (layer.ClassName == "InputLayer")
            {
                current ??= CoreRules.DeclaredInput(new ConfigView(layer.Config));
                result.Of(layer.Name).Add(new NodeShapes([], current is null ? null : [current]));
                continue;
            }
            IReadOnlyList<TensorShape>? inputs = current is null ? null : [current];
            var outputs = Call(layer, inputs);
            result.Of(layer.Name).Add(new NodeShapes(inputs, outputs));
            current = outputs is { Count: > 0 } ? outputs[0] : null;
        }
        result.Outputs.Add(current);
        return result;
    }

    /// <summary>A Sequential model's input: its InputLayer, its first layer's batch_input_shape, or build_input_shape.</summary>
    private static TensorShape? DeclaredInput(ModelGraph g)
    {
        if (g.Layers.Count > 0 && CoreRules.DeclaredInput(new ConfigView(g.Layers[0].Config)) is { } first) return first;
        return ConfigView.ShapeOf(g.ConfigExtras["build_input_shape"] as JsonArray);
    }

    private static GraphShapes Functional(ModelGraph g, IReadOnlyList<TensorShape>? given)
    {
        var result = new GraphShapes();
        var known = new Dictionary<TensorRef, TensorShape?>();
        var done = new HashSet<(string, int)>();
        for (int i = 0; i < g.Inputs.Count && given is not null && i < given.Count; i++) known[g.Inputs[i]] = given[i];

        foreach (var layer in g.Layers.Where(l => l.InboundNodes.Count == 0 && l.Nested is null))
        {
            var at = new TensorRef(layer.Name, 0, 0);
            if (!known.TryGetValue(at, out var shape)) known[at] = shape = CoreRules.DeclaredInput(new ConfigView(layer.Config));
            done.Add((layer.Name, 0));
            result.Of(layer.Name).Add(new NodeShapes([], shape is null ? null : [shape]));
        }

        // Keras writes layers in dependency order, but nothing forces it: sweep until no call resolves.
        bool progress = true;
        while (progress)
        {
            progress = false;
            foreach (var layer in g.Layers)
            {
                var calls = result.Of(layer.Name);
                int first = KerasNodeIndex.FirstSavedNode(layer, g.Metadata.Dialect);
                for (int n = calls.Count; n < layer.InboundNodes.Count; n++)
                {
                    if (!TryResolve(layer.InboundNodes[n].Inputs, known, done, out var inputs)) break;
                    var outputs = Call(layer, inputs);
                    calls.Add(new NodeShapes(inputs, outputs));
                    done.Add((layer.Name, n + first));
                    for (int k = 0; outputs is not null && k < outputs.Count; k++) known[new TensorRef(layer.Name, n + first, k)] = outputs[k];
                    progress = true;
                }
            }
        }
        foreach (var o in g.Outputs) result.Outputs.Add(Lookup(o, known));
        return result;
    }

    private static bool TryResolve(List<TensorRef> refs, Dictionary<TensorRef, TensorShape?> known,
        HashSet<(string, int)> done, out IReadOnlyList<TensorShape>? inputs)
    {
        var shapes = new List<TensorShape>();
        bool allKnown = true;
        foreach (var r in refs)
        {
            if (!done.Contains((r.Layer, r.NodeIndex))) { inputs = null; return false; }
            if (Lookup(r, known) is { } s) shapes.Add(s);
            else allKnown = false;
        }
        inputs = allKnown ? shapes : null;
        return true;
    }

    private static TensorShape? Lookup(TensorRef r, Dictionary<TensorRef, TensorShape?> known)
        => known.TryGetValue(r, out var s) ? s : null;
}
