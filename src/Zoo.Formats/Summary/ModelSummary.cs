using Zoo.Formats.Ir;
using Zoo.Formats.Summary.Rules;

namespace Zoo.Formats.Summary;

/// <summary>
/// What Keras's <c>model.summary()</c> shows, computed from the IR alone: a row per layer with its
/// output shape, parameter count and inbound tensors, and the parameter totals. Counts come from the
/// stored weights when the graph has any, and from the layer configs otherwise.
/// </summary>
public sealed class ModelSummary
{
    private ModelSummary(ModelGraph g, IReadOnlyList<SummaryRow> rows, GraphShapes shapes, bool fromWeights)
    {
        ModelName = g.Name;
        ClassName = g.ClassName;
        Rows = rows;
        OutputShapes = shapes.Outputs;
        CountedFromWeights = fromWeights;
        Complete = rows.All(r => r.Counts is not null);
        Totals = rows.Where(r => r.Counts is not null).Aggregate(new ParamCount(0, 0), (a, r) => a + r.Counts!.Value);
    }

    /// <summary>Model name.</summary>
    public string ModelName { get; }

    /// <summary>Model class (<c>Sequential</c>, <c>Functional</c>, <c>Model</c>).</summary>
    public string ClassName { get; }

    /// <summary>One row per layer in config order (Sequential models omit their InputLayer, as Keras does).</summary>
    public IReadOnlyList<SummaryRow> Rows { get; }

    /// <summary>The model's output shapes; null entries where unknown.</summary>
    public IReadOnlyList<TensorShape?> OutputShapes { get; }

    /// <summary>Total, trainable and non-trainable parameters over the rows whose count is known.</summary>
    public ParamCount Totals { get; }

    /// <summary>True when every row's count is known, so <see cref="Totals"/> is exact rather than a lower bound.</summary>
    public bool Complete { get; }

    /// <summary>True when counts come from stored weights; false when derived from the configs.</summary>
    public bool CountedFromWeights { get; }

    /// <summary>Summarizes <paramref name="graph"/>.</summary>
    public static ModelSummary Of(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return Of(graph, null, graph.AllWeights().Any());
    }

    private static ModelSummary Of(ModelGraph g, IReadOnlyList<TensorShape>? inputs, bool fromWeights)
    {
        var shapes = ShapeInference.Run(g, inputs);
        var rows = new List<SummaryRow>();
        foreach (var layer in g.Layers)
        {
            if (g.IsSequential && layer.ClassName == "InputLayer") continue;
            var calls = shapes.Layers.TryGetValue(layer.Name, out var c) ? c : [];
            var first = calls.Count > 0 ? calls[0] : null;
            rows.Add(new SummaryRow
            {
                Name = layer.Name,
                ClassName = layer.ClassName,
                OutputShapes = first?.Outputs,
                OutputShapeText = ShapeText(calls),
                Counts = Count(layer, first?.Inputs, fromWeights),
                Trainable = layer.Trainable,
                ConnectedTo = layer.InboundNodes.SelectMany(n => n.Inputs).Select(r => r.ToString()).ToList(),
            });
        }
        return new ModelSummary(g, rows, shapes, fromWeights);
    }

    private static string ShapeText(List<NodeShapes> calls)
    {
        if (calls.Count == 0) return "?";
        var texts = calls.Select(n => n.Outputs is null ? "?" : TensorShape.Format(n.Outputs.ToList<TensorShape?>())).Distinct().ToList();
        return texts.Count == 1 ? texts[0] : "multiple";
    }

    private static ParamCount? Count(LayerNode layer, IReadOnlyList<TensorShape>? inputs, bool fromWeights)
    {
        ParamCount? count;
        if (fromWeights) count = WeightCounts.Of(layer);
        else if (layer.Nested is { } nested)
        {
            var inner = Of(nested, inputs, fromWeights: false);
            count = inner.Complete ? inner.Totals : null;
        }
        else count = inputs is null ? (LayerRules.Knows(layer.ClassName) && LayerRules.Params(layer, []) is { Total: 0 } z ? z : null)
                                    : LayerRules.Params(layer, inputs);
        return count is { } k && !layer.Trainable ? k.Frozen() : count;
    }
}
