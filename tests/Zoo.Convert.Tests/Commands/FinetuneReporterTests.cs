using Spectre.Console;
using Zoo.Convert.Finetune;
using Zoo.FineTune.Fitting;

namespace Zoo.Convert.Tests.Commands;

/// <summary>The closing table of <c>finetune</c>, on a Spectre console and as plain text.</summary>
public class FinetuneReporterTests
{
    private static History ThreeEpochs()
    {
        var h = new History();
        double[] loss = [0.9, 0.5, 0.6], val = [0.8, 0.4, 0.45];
        for (int e = 0; e < 3; e++)
            h.Add(e, new Dictionary<string, double> { ["loss"] = loss[e], ["accuracy"] = 0.5 + e * 0.1, ["val_loss"] = val[e], ["val_accuracy"] = 0.6, ["learning_rate"] = 1e-3 / (e + 1) });
        return h;
    }

    [Fact]
    public void The_spectre_table_has_a_row_per_epoch_the_best_epoch_by_val_loss_and_the_files()
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(text),
        });
        var reporter = new SpectreReporter(console, epochs: 3);
        var history = reporter.Run(ThreeEpochs);
        reporter.Summary(new RunSummary(history, "val_loss", [("model", "/tmp/out.keras")]));
        var lines = text.ToString().Split('\n');
        Assert.Contains(lines, l => l.Contains("epoch") && l.Contains("val_accuracy") && l.Contains("learning_rate"));
        Assert.Contains(lines, l => l.Contains("│     2 │ 0.5000 │") && l.Contains("0.0005"));
        Assert.Contains("best epoch: 2 (val_loss 0.4000)", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("model: /tmp/out.keras", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Accuracy_monitors_pick_the_highest_epoch_and_an_unlogged_monitor_says_so()
    {
        var h = ThreeEpochs();
        Assert.Equal(2, new RunSummary(h, "accuracy", []).BestIndex());
        Assert.Equal(1, new RunSummary(h, "loss", []).BestIndex());
        Assert.Equal("best epoch: none (val_auc was not logged)", new RunSummary(h, "val_auc", []).BestLine());
    }

    [Fact]
    public void The_plain_table_aligns_columns_for_redirected_output()
    {
        var text = new StringWriter();
        new PlainReporter(text, 3).Summary(new RunSummary(ThreeEpochs(), "val_loss", [("model", "m.h5")]));
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("epoch    loss  accuracy  val_loss  val_accuracy  learning_rate", lines[0]);
        Assert.Equal("    1  0.9000    0.5000    0.8000        0.6000          0.001", lines[2]);
        Assert.Equal("best epoch: 2 (val_loss 0.4000)", lines[5]);
    }
}
