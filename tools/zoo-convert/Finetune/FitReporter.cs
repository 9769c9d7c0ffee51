using Zoo.Convert.Output;
using System.Diagnostics;
using Spectre.Console;
using Zoo.FineTune.Callbacks;
using Zoo.FineTune.Fitting;

namespace Zoo.Convert.Finetune;

/// <summary>
/// Shows a running fit: a live Spectre.Console progress bar on a terminal (epoch, batch, running loss, the last
/// epoch's metrics, ETA), or one plain line per epoch when output is redirected; then the closing table. As a
/// callback it also logs the learning rate of every epoch.
/// </summary>
internal abstract class FitReporter(int epochs) : Callback
{
    /// <summary>Epochs asked for.</summary>
    protected int Epochs { get; } = epochs;

    /// <summary>The last finished epoch's metrics, as "name value" pairs.</summary>
    protected string LastMetrics { get; private set; } = "";

    /// <summary>A Spectre reporter when <paramref name="stdout"/> is the process's console on a terminal, else a plain one on <paramref name="stdout"/>.</summary>
    public static FitReporter For(TextWriter stdout, int epochs)
        => Output.Terminal.IsTerminal(stdout) && AnsiConsole.Profile.Capabilities.Interactive
            ? new SpectreReporter(AnsiConsole.Console, epochs)
            : new PlainReporter(stdout, epochs);

    /// <summary>Runs <paramref name="fit"/>, which reports batches to <see cref="OnBatch"/>.</summary>
    public abstract History Run(Func<History> fit);

    /// <summary>Called by the fit loop after each training batch.</summary>
    public abstract void OnBatch(BatchProgress p);

    /// <summary>A line of information before or after training.</summary>
    public abstract void Line(string text);

    /// <summary>A warning (a skipped file).</summary>
    public abstract void Warning(string text);

    /// <summary>The closing table, best epoch and files.</summary>
    public abstract void Summary(RunSummary summary);

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IDictionary<string, double> logs, TrainingContext context)
    {
        logs["learning_rate"] = context.Optimizer.LearningRate;
        LastMetrics = string.Join("  ", RunSummary.Metrics.Where(logs.ContainsKey).Select(m => $"{m} {RunSummary.Format(logs[m], m)}"));
        EpochDone(epoch);
    }

    /// <summary>After an epoch's logs are complete.</summary>
    protected virtual void EpochDone(int epoch) { }
}

/// <summary>Plain lines: one per epoch with its metrics and duration; the table as aligned text.</summary>
internal sealed class PlainReporter(TextWriter stdout, int epochs) : FitReporter(epochs)
{
    private readonly Stopwatch clock = new();

    public override History Run(Func<History> fit)
    {
        clock.Restart();
        return fit();
    }

    public override void OnBatch(BatchProgress p) { }

    protected override void EpochDone(int epoch)
    {
        stdout.WriteLine($"epoch {epoch + 1}/{Epochs}: {LastMetrics}  ({clock.Elapsed.TotalSeconds:0.0} s)");
        clock.Restart();
    }

    public override void Line(string text) => stdout.WriteLine(text);

    public override void Warning(string text) => stdout.WriteLine($"warning: {text}");

    public override void Summary(RunSummary s)
    {
        var rows = s.Rows().ToList();
        var header = s.Header;
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Format(string[] cells) => string.Join("  ", cells.Select((c, i) => c.PadLeft(widths[i]))).TrimEnd();
        stdout.WriteLine();
        stdout.WriteLine(Format(header));
        stdout.WriteLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
        foreach (var r in rows) stdout.WriteLine(Format(r));
        stdout.WriteLine(s.BestLine());
        stdout.WriteLine(s.SavedLine());
        foreach (var (what, path) in s.Files) stdout.WriteLine($"{what}: {path}");
    }
}

/// <summary>A live progress bar and a closing table on a Spectre.Console console.</summary>
internal sealed class SpectreReporter(IAnsiConsole console, int epochs) : FitReporter(epochs)
{
    private ProgressTask? task;

    public override History Run(Func<History> fit)
        => console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                task = ctx.AddTask(Printable.Markup($"epoch 1/{Epochs}"), maxValue: Math.Max(1, Epochs));
                return fit();
            });

    public override void OnBatch(BatchProgress p)
    {
        if (task is null) return;
        task.MaxValue = Math.Max(1, (double)Epochs * p.Batches);
        task.Value = (double)p.Epoch * p.Batches + p.Batch + 1;
        task.Description = Printable.Markup($"epoch {p.Epoch + 1}/{Epochs}  batch {p.Batch + 1}/{p.Batches}  loss {RunSummary.Format(p.Loss)}");
    }

    protected override void EpochDone(int epoch)
    {
        // A finished epoch's metrics go on a line of their own above the bar, which stays narrow enough for any terminal.
        console.MarkupLine(Printable.Markup($"epoch {epoch + 1}/{Epochs}: {LastMetrics}"));
        if (task is not null && epoch + 1 == Epochs) task.Value = task.MaxValue;
    }

    public override void Line(string text) => console.MarkupLine(Printable.Markup(text));

    public override void Warning(string text) => console.MarkupLine($"[yellow]warning:[/] {Printable.Markup(text)}");

    public override void Summary(RunSummary s)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var h in s.Header) table.AddColumn(new TableColumn(h).RightAligned());
        int? best = s.BestIndex();
        int i = 0;
        foreach (var r in s.Rows())
        {
            var cells = r.Select(c => Printable.Markup(c)).ToArray();
            table.AddRow(i++ == best ? cells.Select(c => $"[bold green]{c}[/]").ToArray() : cells);
        }
        console.Write(table);
        console.MarkupLine(Printable.Markup(s.BestLine()));
        console.MarkupLine(Printable.Markup(s.SavedLine()));
        foreach (var (what, path) in s.Files) console.MarkupLine($"{Printable.Markup(what)}: [link]{Printable.Markup(path)}[/]");
    }
}
