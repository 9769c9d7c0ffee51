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

        console.Write(accuracy);
        foreach (var line in AccuracyNotes(s)) console.WriteLine(line);
        foreach (var t in new[] { parity, files, steps, checks }) console.Write(t);
    }

    /// <summary>What the accuracy rows mean, in words: the two low rows are expected, and say why.</summary>
    internal static IEnumerable<string> AccuracyNotes(DemoSummary s)
    {
        var a = s.Accuracy;
        yield return $"  Row 1: the trained model on plain digits it did not train on (its validation split).";
        yield return $"  Row 2: the same model on {s.Domain} digits, which it never saw: at or below chance (10 %) is expected; {a.ShiftedBefore:P2} here.";
        yield return $"  Row 3: after fine-tuning its head on {s.Domain} digits (the convolutional base frozen): {a.ShiftedAfter:P2}.";
        yield return $"  Row 4: the fine-tuned model back on plain digits: {a.PlainAfterFineTune:P2}. Adapting the head to {s.Domain} digits "
            + $"overwrote what it knew about plain ones (catastrophic forgetting); {EndToEndDemo.FullModel} still holds the plain-digit model.";
    }

    private static Table NewTable(string title, params string[] columns)
    {
        var t = new Table { Title = new TableTitle(E(title)), Border = TableBorder.Rounded };
        foreach (var c in columns) t.AddColumn(E(c));
        return t;
    }

    private static string E(string text) => Printable.Markup(text);
}
