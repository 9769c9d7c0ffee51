using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Formats.Summary;
using Zoo.Onnx.Lowerings;

namespace Zoo.Onnx.Export;

/// <summary>
/// Walks a Sequential chain or a functional graph from its outputs back to its inputs (as the runtime does),
/// lowering each layer call once, so nodes land in topological order; nested models are inlined under their
/// name, shared layers get one set of nodes per call (their weights are shared initializers by name).
/// </summary>
internal sealed class OnnxGraphWalker
{
    private readonly OnnxGraphBuilder builder;
    private readonly OnnxExportOptions options;
    private readonly KerasDialectKind dialect;
    private readonly string? backend;

    public OnnxGraphWalker(OnnxGraphBuilder builder, OnnxExportOptions options, KerasDialectKind dialect, string? backend)
    {
        this.builder = builder;
        this.options = options;
        this.dialect = dialect;
        this.backend = backend;
    }

    /// <summary>A value in the ONNX graph and its Keras shape (null when unknown).</summary>
    public readonly record struct Value(string Name, TensorShape? Shape);

    /// <summary>Lowers <paramref name="g"/> applied to <paramref name="inputs"/>; returns its outputs in order.</summary>
    public IReadOnlyList<Value> Run(ModelGraph g, IReadOnlyList<Value> inputs, string prefix)
    {
        var fold = options.FoldBatchNorm ? BatchNormFolding.Plan(g, dialect) : new();
        var folded = fold.Values.Select(v => v.Node).ToHashSet();
        if (g.IsSequential || (g.Inputs.Count == 0 && g.Layers.All(l => l.InboundNodes.Count == 0)))
        {
            var x = inputs;
            foreach (var layer in g.Layers)
                if (layer.ClassName != "InputLayer") x = Call(layer, 0, x, prefix, fold, folded);
            return x;
        }
        if (inputs.Count != g.Inputs.Count)
            throw new ModelFormatException($"model '{g.Name}': expected {g.Inputs.Count} inputs, got {inputs.Count}");
        var memo = new Dictionary<(string, int), IReadOnlyList<Value>>();
        for (int i = 0; i < inputs.Count; i++) memo[(g.Inputs[i].Layer, g.Inputs[i].NodeIndex)] = new[] { inputs[i] };
        return g.Outputs.Select(o => Eval(g, o, memo, prefix, fold, folded, 0)).ToArray();
    }

    private Value Eval(ModelGraph g, TensorRef r, Dictionary<(string, int), IReadOnlyList<Value>> memo, string prefix,
        Dictionary<LayerNode, (LayerNode, BatchNormalizationSpec)> fold, HashSet<LayerNode> folded, int depth)
    {
        if (!memo.TryGetValue((r.Layer, r.NodeIndex), out var outs))
        {
            var layer = g.FindLayer(r.Layer) ?? throw new ModelFormatException($"model '{g.Name}': tensor {r} names no layer");
            if (layer.InboundNodes.Count <= r.NodeIndex)
                throw new ModelFormatException($"model '{g.Name}': tensor {r} needs call {r.NodeIndex} of layer '{layer.Name}', which has {layer.InboundNodes.Count}");
            if (depth > 10_000) throw new ModelFormatException($"model '{g.Name}': the graph has a cycle through '{layer.Name}'");
            var ins = layer.InboundNodes[r.NodeIndex].Inputs.Select(i => Eval(g, i, memo, prefix, fold, folded, depth + 1)).ToArray();
            outs = Call(layer, r.NodeIndex, ins, prefix, fold, folded);
            memo[(r.Layer, r.NodeIndex)] = outs;
        }
        if (r.TensorIndex >= outs.Count)
            throw new ModelFormatException($"model '{g.Name}': tensor {r} asks for output {r.TensorIndex} of '{r.Layer}', which has {outs.Count}");
        return outs[r.TensorIndex];
    }

    private IReadOnlyList<Value> Call(LayerNode layer, int nodeIndex, IReadOnlyList<Value> ins, string prefix,
        Dictionary<LayerNode, (LayerNode, BatchNormalizationSpec)> fold, HashSet<LayerNode> folded)
    {
        if (layer.Nested is { } nested) return Run(nested, ins, prefix + layer.Name + "/");
        var shapes = ins.Select(v => v.Shape).ToArray();
        var outShapes = InferShapes(layer, shapes);
        if (folded.Contains(layer)) return ins;
        var spec = LayerSpecs.Read(layer, dialect);
        var scope = prefix + layer.Name + (nodeIndex == 0 ? "" : "#" + nodeIndex);
        var ctx = new OnnxLayerContext(builder, layer, spec, scope, ins.Select(v => v.Name).ToArray(), shapes, options, backend)
        {
            FoldBatchNorm = fold.TryGetValue(layer, out var bn) ? bn : null,
            OutputShapes = outShapes,
        };
        var outs = OnnxLowerings.Lower(ctx);
        var known = outShapes ?? ctx.LoweredShapes;
        return outs.Select((o, i) => new Value(o, known is not null && i < known.Count ? known[i] : null)).ToArray();
    }

    private static IReadOnlyList<TensorShape>? InferShapes(LayerNode layer, TensorShape?[] shapes)
    {
        if (shapes.Any(s => s is null)) return null;
        try
        {
            return LayerShapes.OfCall(layer, shapes.Select(s => s!).ToArray());
        }
        catch (Exception e) when (e is ZooException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            // Shapes only sharpen padding and value info; a layer the summary rules cannot size still exports.
            return null;
        }
    }
}
