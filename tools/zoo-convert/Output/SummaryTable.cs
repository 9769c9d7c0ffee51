using Zoo.Formats.Ir;
using Zoo.Formats.Summary;

namespace Zoo.Convert.Output;

/// <summary>A model summary laid out like Keras's <c>model.summary()</c>, in plain aligned text.</summary>
internal static class SummaryTable
{
    public static void Write(TextWriter w, ModelGraph graph, ModelSummary s)
    {
        bool connections = !graph.IsSequential && s.Rows.Any(r => r.ConnectedTo.Count > 0);
        var header = new List<string> { "Layer (type)", "Output Shape", "Param #" };
        if (connections) header.Add("Connected to");
        var lines = new List<string[]>();
        foreach (var r in s.Rows)
        {
            var first = new List<string> { $"{r.Name} ({r.ClassName})", r.OutputShapeText, r.Params is long p ? p.ToString("N0") : "?" };
            if (connections) first.Add(r.ConnectedTo.FirstOrDefault() ?? "");
            lines.Add(first.ToArray());
            // Keras lists every inbound tensor; the extra ones go on lines of their own.
            foreach (var more in r.ConnectedTo.Skip(connections ? 1 : int.MaxValue)) lines.Add(["", "", "", more]);
        }
        var widths = Enumerable.Range(0, header.Count)
            .Select(i => Math.Max(header[i].Length, lines.Select(l => l[i].Length).DefaultIfEmpty(0).Max()) + 2).ToArray();
        int total = widths.Sum();
        string Row(IReadOnlyList<string> cells) => string.Concat(cells.Select((c, i) => i == 2 ? c.PadLeft(widths[i] - 2).PadRight(widths[i]) : c.PadRight(widths[i]))).TrimEnd();

        w.WriteLine($"Model: \"{s.ModelName}\" ({s.ClassName})");
        w.WriteLine(new string('_', total));
        w.WriteLine(Row(header));
        w.WriteLine(new string('=', total));
        foreach (var l in lines) w.WriteLine(Row(l));
        w.WriteLine(new string('=', total));
        string bound = s.Complete ? "" : " (at least: some layers' counts are unknown)";
        w.WriteLine($"Total params: {s.Totals.Total:N0}{bound}");
        w.WriteLine($"Trainable params: {s.Totals.Trainable:N0}");
        w.WriteLine($"Non-trainable params: {s.Totals.NonTrainable:N0}");
        w.WriteLine($"(counted from the {(s.CountedFromWeights ? "stored weights" : "layer configs; the file holds no weights")})");
        w.WriteLine(new string('_', total));
    }
}
