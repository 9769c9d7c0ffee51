using Spectre.Console;
using Spectre.Console.Rendering;
using Zoo.Formats.Summary;

namespace Zoo.Convert.Output;

/// <summary>
/// The Keras <c>model.summary()</c> table drawn with Spectre for a terminal: the same columns and totals as
/// <see cref="ModelSummary.ToString"/> (Layer (type), Output Shape, Param #, Connected to for functional models), with
/// colour and box drawing. Only used when stdout is a terminal; redirected output keeps the plain table.
/// </summary>
internal static class RichSummaryTable
{
    public static void Write(IAnsiConsole console, ModelSummary s)
    {
        bool connections = !s.IsSequential && s.Rows.Any(r => r.ConnectedTo.Count > 0);
        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title($"[bold]Model: \"{Printable.Markup(s.ModelName)}\"[/] [grey]({Printable.Markup(s.ClassName)})[/]")
            .AddColumn("Layer (type)")
            .AddColumn("Output Shape")
            .AddColumn(new TableColumn("Param #").RightAligned());
        if (connections) table.AddColumn("Connected to");
        foreach (var r in s.Rows)
        {
            var cells = new List<IRenderable>
            {
                new Markup($"{Printable.Markup(r.Name)} [grey]({Printable.Markup(r.ClassName)})[/]"),
                new Text(r.OutputShapeText),
                r.Params is long p ? new Markup(p == 0 ? "[grey]0[/]" : $"{p:N0}") : new Markup("[yellow]?[/]"),
            };
            // Keras lists every inbound tensor, one per line.
            if (connections) cells.Add(new Text(string.Join("\n", r.ConnectedTo.Select(Printable.Text))));
            table.AddRow(cells);
        }
        console.Write(table);
        string bound = s.Complete ? "" : " [yellow](at least: some layers' counts are unknown)[/]";
        var totals = new Grid().AddColumn().AddColumn(new GridColumn().RightAligned());
        totals.AddRow(new Markup("[bold]Total params:[/]"), new Markup($"[bold]{s.Totals.Total:N0}[/]{bound}"));
        totals.AddRow(new Markup("Trainable params:"), new Markup($"[green]{s.Totals.Trainable:N0}[/]"));
        totals.AddRow(new Markup("Non-trainable params:"), new Markup($"[blue]{s.Totals.NonTrainable:N0}[/]"));
        console.Write(totals);
        console.MarkupLine($"[grey]({s.CountSource})[/]");
    }
}
