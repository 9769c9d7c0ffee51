using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Formats.Summary;
using Zoo.Onnx.Lowerings;

namespace Zoo.Onnx.Export;

/// <summary>
/// Walks a Sequential chain or a functional graph from its outputs back to its inputs (as the runtime does),
/// lowering each layer call once, so nodes land in topological order; nested models are inlined under their
/// name, and a shared layer or nested model gets one set of nodes and initializers per call, scoped
/// <c>name</c> for its first call and <c>name#k</c> for call k. Keras node indices are mapped to calls
/// through <see cref="KerasNodeIndex"/>; call arguments (<c>training=False</c>) do not matter to an inference graph.
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
            // Node indices are Keras's: a built nested model's first saved call is node 1 (KerasNodeIndex knows when).
            int call = KerasNodeIndex.CallIndex(layer, r.NodeIndex, dialect);
            if (call < 0 || layer.InboundNodes.Count <= call)
                throw new ModelFormatException($"model '{g.Name}': tensor {r} names node {r.NodeIndex} of layer '{layer.Name}', whose saved calls are nodes "
                    + $"{KerasNodeIndex.NodeIndex(layer, 0, dialect)}..{KerasNodeIndex.NodeIndex(layer, layer.InboundNodes.Count - 1, dialect)}");
            if (depth > 10_000) throw new ModelFormatException($"model '{g.Name}': the graph has a cycle through '{layer.Name}'");
            var ins = layer.InboundNodes[call].Inputs.Select(i => Eval(g, i, memo, prefix, fold, folded, depth + 1)).ToArray();
            outs = Call(layer, call, ins, prefix, fold, folded);
            memo[(r.Layer, r.NodeIndex)] = outs;
        }
        if (r.TensorIndex >= outs.Count)
            throw new ModelFormatException($"model '{g.Name}': tensor {r} asks for output {r.TensorIndex} of '{r.Layer}', which has {outs.Count}");
        return outs[r.TensorIndex];
    }

    private IReadOnlyList<Value> Call(LayerNode layer, int call, IReadOnlyList<Value> ins, string prefix,
        Dictionary<LayerNode, (LayerNode, BatchNormalizationSpec)> fold, HashSet<LayerNode> folded)
    {
        var name = layer.Name + (call == 0 ? "" : "#" + call);
        if (layer.Nested is { } nested) return Run(nested, ins, prefix + name + "/");
        var shapes = ins.Select(v => v.Shape).ToArray();
        var outShapes = InferShapes(layer, shapes);
        if (folded.Contains(layer)) return ins;
        var spec = LayerSpecs.Read(layer, dialect);
        var scope = prefix + name;
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
