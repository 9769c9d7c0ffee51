using Zoo.Formats.Ir;
using Zoo.Formats.Summary.Rules;

namespace Zoo.Formats.Summary;

/// <summary>
/// What Keras's <c>model.summary()</c> shows, computed from the IR alone: a row per layer with its
/// output shape, parameter count and inbound tensors, and the parameter totals. Counts come from the
/// stored weights when the graph has any, and from the layer configs otherwise. <see cref="ToString"/> prints
/// the table as Keras does.
/// </summary>
public sealed class ModelSummary
{
    private ModelSummary(ModelGraph g, IReadOnlyList<SummaryRow> rows, GraphShapes shapes, bool fromWeights)
    {
        ModelName = g.Name;
        ClassName = g.ClassName;
        IsSequential = g.IsSequential;
        Inputs = InputsOf(g, shapes);
        Outputs = OutputsOf(g, shapes);
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

    /// <summary>Whether the model is Sequential (its table has no "Connected to" column).</summary>
    public bool IsSequential { get; }

    /// <summary>The model's inputs in order: name, shape, dtype.</summary>
    public IReadOnlyList<SummaryTensor> Inputs { get; }

    /// <summary>The model's outputs in order: name (the producing layer), shape, dtype.</summary>
    public IReadOnlyList<SummaryTensor> Outputs { get; }

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

    /// <summary>Where the counts come from, as the table's last line says it.</summary>
    public string CountSource => $"counted from the {(CountedFromWeights ? "stored weights" : "layer configs; the file holds no weights")}";

    /// <summary>The Keras-style summary table (as <c>model.summary()</c> prints it), lines ending in <see cref="Environment.NewLine"/>.</summary>
    public override string ToString()
    {
        using var w = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        WriteTo(w);
        return w.ToString();
    }

    /// <summary>Writes the Keras-style summary table to <paramref name="writer"/>.</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        SummaryText.Write(writer, this);
    }

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

    // Inputs and outputs are named as the runtime names them (Zoo.Models' executor): a Sequential model by its
    // first and last layer, a functional one by the layers its input and output tensors belong to.
    private static IReadOnlyList<SummaryTensor> InputsOf(ModelGraph g, GraphShapes shapes)
    {
        var layers = g.IsSequential || g.Inputs.Count == 0
            ? g.Layers.Take(1)
            : g.Inputs.Select(r => g.FindLayer(r.Layer)).OfType<LayerNode>();
        return layers.Select(l =>
        {
            var first = shapes.Layers.TryGetValue(l.Name, out var calls) && calls.Count > 0 ? calls[0] : null;
            var shape = l.ClassName == "InputLayer" ? first?.Outputs?.FirstOrDefault() : first?.Inputs?.FirstOrDefault();
            return new SummaryTensor(l.Name, shape, DTypeOf(g, l));
        }).ToList();
    }

    private static IReadOnlyList<SummaryTensor> OutputsOf(ModelGraph g, GraphShapes shapes)
    {
        var layers = g.IsSequential || g.Outputs.Count == 0
            ? g.Layers.TakeLast(1).Select(l => l.Name).ToList()
            : g.Outputs.Select(r => r.Layer).ToList();
        return layers.Select((name, i) => new SummaryTensor(name, i < shapes.Outputs.Count ? shapes.Outputs[i] : null,
            g.FindLayer(name) is { } l ? DTypeOf(g, l) : "float32")).ToList();
    }

    private static string DTypeOf(ModelGraph g, LayerNode layer)
        => Layers.InputLayerSpec.Read(new Layers.LayerConfig(layer, g.Metadata.Dialect)).DType;

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
