using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Zoo.Formats.Ir;
using Zoo.Formats.Summary;

namespace Zoo.Convert.Output;

/// <summary>
/// Everything <c>inspect</c> reports about one file, rendered either as text or as one JSON object
/// whose field names are a stable interface (documented in docs/cli.md).
/// </summary>
internal sealed class InspectReport(string file, string? weightsFile, KerasFormat format, ModelGraph graph, ModelSummary summary)
{
    /// <summary>The <c>schema</c> field: bumped only when a field changes meaning or disappears (new fields are added freely).</summary>
    public const string Schema = "zoo-convert/inspect/1";

    private long OptimizerBytes => graph.OptimizerWeights.Sum(w => (long)w.Data.Length);

    /// <summary>The report as one JSON object (indented).</summary>
    public string ToJson()
    {
        var o = new JsonObject
        {
            ["schema"] = Schema,
            ["file"] = file,
            ["weights_file"] = weightsFile,
            ["format"] = FormatNames.Of(format),
            ["keras_version"] = graph.Metadata.KerasVersion,
            ["backend"] = graph.Metadata.Backend,
            ["dialect"] = FormatNames.Of(graph.Metadata.Dialect),
            ["model"] = new JsonObject
            {
                ["name"] = graph.Name,
                ["class_name"] = graph.ClassName,
                ["has_architecture"] = graph.HasArchitecture,
                ["output_shapes"] = new JsonArray(summary.OutputShapes.Select(ShapeJson).ToArray()),
                ["inputs"] = new JsonArray(summary.Inputs.Select(TensorJson).ToArray()),
                ["outputs"] = new JsonArray(summary.Outputs.Select(TensorJson).ToArray()),
            },
            ["layers"] = new JsonArray(summary.Rows.Select(RowJson).ToArray()),
            ["totals"] = new JsonObject
            {
                ["total"] = summary.Totals.Total,
                ["trainable"] = summary.Totals.Trainable,
                ["non_trainable"] = summary.Totals.NonTrainable,
                ["complete"] = summary.Complete,
                ["source"] = summary.CountedFromWeights ? "weights" : "config",
            },
            ["training_config"] = graph.TrainingConfig is not null,
            ["optimizer"] = new JsonObject
            {
                ["class_name"] = OptimizerName(),
                ["weights"] = graph.OptimizerWeights.Count,
                ["bytes"] = OptimizerBytes,
            },
        };
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonNode RowJson(SummaryRow r) => new JsonObject
    {
        ["name"] = r.Name,
        ["class_name"] = r.ClassName,
        ["output_shape"] = r.OutputShapeText,
        ["output_shapes"] = r.OutputShapes is null ? null : new JsonArray(r.OutputShapes.Select(ShapeJson).ToArray()),
        ["params"] = r.Params,
        ["trainable_params"] = r.Counts?.Trainable,
        ["non_trainable_params"] = r.Counts?.NonTrainable,
        ["trainable"] = r.Trainable,
        ["connected_to"] = new JsonArray(r.ConnectedTo.Select(c => (JsonNode?)c).ToArray()),
    };

    private static JsonNode TensorJson(SummaryTensor t) => new JsonObject
    {
        ["name"] = t.Name,
        ["shape"] = ShapeJson(t.Shape),
        ["dtype"] = t.DType,
    };

    private static JsonNode? ShapeJson(TensorShape? s)
        => s is null ? null : new JsonArray(s.Dims.Select(d => d is long v ? (JsonNode?)v : null).ToArray());

    private string? OptimizerName()
        => graph.TrainingConfig?["optimizer_config"] is JsonObject oc && oc["class_name"] is JsonValue v
           && v.TryGetValue(out string? name) ? name : null;

    /// <summary>"Input:"/"Output:" lines, one per tensor: name, shape (batch first), dtype; an architecture-free file has none.</summary>
    private IEnumerable<(string Label, string Text)> TensorLines()
    {
        if (!graph.HasArchitecture) yield break;
        foreach (var t in summary.Inputs) yield return ("Input:", $"{t.Name} {t.ShapeText} {t.DType}");
        foreach (var t in summary.Outputs) yield return ("Output:", $"{t.Name} {t.ShapeText} {t.DType}");
    }

    /// <summary>The report for a terminal: the same lines as <see cref="WriteText"/>, with the Spectre summary table.</summary>
    public void WriteRich(IAnsiConsole c)
    {
        void Field(string name, string? value) => c.MarkupLine($"[bold]{name,-15}[/] {Printable.Markup(value ?? "(not recorded)")}");
        Field("File:", file);
        if (weightsFile is not null) Field("Weights file:", weightsFile);
        Field("Format:", $"{FormatNames.Of(format)}: {FormatNames.Describe(format)}");
        Field("Keras version:", graph.Metadata.KerasVersion);
        Field("Backend:", graph.Metadata.Backend);
        Field("Dialect:", FormatNames.Of(graph.Metadata.Dialect));
        foreach (var (label, text) in TensorLines()) Field(label, text);
        c.WriteLine();
        RichSummaryTable.Write(c, summary);
        c.WriteLine();
        Field("Training config:", graph.TrainingConfig is null ? "none" : $"present{(OptimizerName() is { } n ? $" (optimizer {n})" : "")}");
        Field("Optimizer state:", $"{graph.OptimizerWeights.Count:N0} tensors, {OptimizerBytes:N0} bytes");
    }

    /// <summary>The report as aligned plain text.</summary>
    public void WriteText(TextWriter w)
    {
        w.WriteLine($"File:           {file}");
        if (weightsFile is not null) w.WriteLine($"Weights file:   {weightsFile}");
        w.WriteLine($"Format:         {FormatNames.Of(format)}: {FormatNames.Describe(format)}");
        w.WriteLine($"Keras version:  {graph.Metadata.KerasVersion ?? "(not recorded)"}");
        w.WriteLine($"Backend:        {graph.Metadata.Backend ?? "(not recorded)"}");
        w.WriteLine($"Dialect:        {FormatNames.Of(graph.Metadata.Dialect)}");
        foreach (var (label, text) in TensorLines()) w.WriteLine($"{label,-15} {text}");
        w.WriteLine();
        summary.WriteTo(w);
        w.WriteLine();
        w.WriteLine(graph.TrainingConfig is null
            ? "Training config: none"
            : $"Training config: present{(OptimizerName() is { } n ? $" (optimizer {n})" : "")}");
        w.WriteLine($"Optimizer state: {graph.OptimizerWeights.Count:N0} tensors, {OptimizerBytes:N0} bytes");
    }
}
