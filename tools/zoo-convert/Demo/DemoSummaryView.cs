using Zoo.Convert.Output;
using Spectre.Console;

namespace Zoo.Convert.Demo;

/// <summary>Renders a <see cref="DemoSummary"/> as Spectre.Console tables: accuracy, parity, files, timings, checks.</summary>
internal static class DemoSummaryView
{
    public static void Render(IAnsiConsole console, DemoSummary s)
    {
        var accuracy = NewTable("accuracy", "digits", "model", "accuracy");
        var a = s.Accuracy;
        accuracy.AddRow("plain (validation)", $"trained (best epoch {s.BestEpoch} of {s.EpochsRun})", $"{a.PlainValidation:P2}");
        accuracy.AddRow($"{s.Domain} (held out)", "trained, before fine-tuning", $"{a.ShiftedBefore:P2}");
        accuracy.AddRow($"{s.Domain} (held out)", $"fine-tuned ({s.FineTuneEpochsRun} epochs, small policy)", $"{a.ShiftedAfter:P2}");
        accuracy.AddRow("plain (validation)", "fine-tuned", $"{a.PlainAfterFineTune:P2}");
        accuracy.Columns[2].RightAligned();

        var p = s.Parity;
        var parity = NewTable($"parity (max abs error over {p.Samples} samples)", "comparison", "max |Δ|", "note");
        parity.AddRow(E($"{EndToEndDemo.FullModel} reloaded vs trained model"), $"{p.ReloadMaxAbsError:0.00e+0}", p.ReloadBitwise ? "bit-identical" : "");
        parity.AddRow(E($"{EndToEndDemo.KerasArchive} reloaded vs fine-tuned model"), $"{p.KerasArchiveMaxAbsError:0.00e+0}", p.KerasArchiveBitwise ? "bit-identical" : "");
        parity.AddRow(E("ONNX Runtime vs TorchSharp"), $"{p.OnnxMaxAbsError:0.00e+0}", E(p.OnnxProvider));
        parity.Columns[1].RightAligned();

        var files = NewTable("files", "file", "holds", "bytes", "read back");
        foreach (var f in s.Files) files.AddRow(E(f.Name), E(f.Holds), f.Bytes.ToString("N0"), E(f.Reload));
        files.Columns[2].RightAligned();

        var steps = NewTable("timings", "step", "seconds");
        foreach (var st in s.Steps) steps.AddRow(E(st.Name), st.Seconds.ToString("F1"));
        steps.AddRow("[bold]total[/]", $"[bold]{s.TotalSeconds:F1}[/]");
        steps.Columns[1].RightAligned();

        var checks = NewTable("checks", "check", "measured", "target", "result");
        foreach (var c in s.Checks) checks.AddRow(E(c.Name), E(c.Measured), E(c.Target), c.Passed ? "[green]pass[/]" : "[red bold]FAIL[/]");

        foreach (var t in new[] { accuracy, parity, files, steps, checks }) console.Write(t);
    }

    private static Table NewTable(string title, params string[] columns)
    {
        var t = new Table { Title = new TableTitle(E(title)), Border = TableBorder.Rounded };
        foreach (var c in columns) t.AddColumn(E(c));
        return t;
    }

    private static string E(string text) => Printable.Markup(text);
}
