using System.Globalization;

namespace Zoo.Formats.Summary;

/// <summary>
/// A <see cref="ModelSummary"/> laid out like Keras's <c>model.summary()</c> in plain aligned text: Layer (type),
/// Output Shape, Param # (and Connected to for functional models), then the totals.
/// </summary>
internal static class SummaryText
{
    /// <summary>Writes the table to <paramref name="w"/>, one line per row.</summary>
    public static void Write(TextWriter w, ModelSummary s)
    {
        bool connections = !s.IsSequential && s.Rows.Any(r => r.ConnectedTo.Count > 0);
        var header = new List<string> { "Layer (type)", "Output Shape", "Param #" };
        if (connections) header.Add("Connected to");
        var lines = new List<string[]>();
        foreach (var r in s.Rows)
        {
            var first = new List<string> { $"{r.Name} ({r.ClassName})", r.OutputShapeText, r.Params is long p ? Count(p) : "?" };
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
        w.WriteLine($"Total params: {Count(s.Totals.Total)}{(s.Complete ? "" : " (at least: some layers' counts are unknown)")}");
        w.WriteLine($"Trainable params: {Count(s.Totals.Trainable)}");
        w.WriteLine($"Non-trainable params: {Count(s.Totals.NonTrainable)}");
        w.WriteLine($"({s.CountSource})");
        w.WriteLine(new string('_', total));
    }

    // Keras groups thousands with commas whatever the locale; so does this table.
    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
