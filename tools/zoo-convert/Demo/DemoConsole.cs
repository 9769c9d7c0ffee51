using Zoo.Convert.Output;
using Spectre.Console;
using Zoo.FineTune.Callbacks;
using Zoo.FineTune.Fitting;

namespace Zoo.Convert.Demo;

/// <summary>
/// Where the demo talks: live Spectre.Console progress bars (one per epoch, filled batch by batch) when stdout is
/// a terminal; one plain line per epoch when it is redirected; and with <c>--json</c>, progress lines on stderr
/// so stdout holds nothing but the JSON summary.
/// </summary>
internal sealed class DemoConsole
{
    private readonly TextWriter lines;
    private readonly bool live;

    public DemoConsole(TextWriter stdout, TextWriter stderr, bool json)
    {
        live = !json && Output.Terminal.IsTerminal(stdout);
        lines = json ? stderr : stdout;
        Ansi = live
            ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Output.SafeWriter.Unwrap(stdout)) })
            : AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(lines), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
            });
        // Redirected output has no width to detect; wide enough that the summary tables never wrap.
        if (!live) Ansi.Profile.Width = 140;
    }

    /// <summary>The console the summary tables render to (plain text without ANSI codes unless live).</summary>
    public IAnsiConsole Ansi { get; }

    /// <summary>Writes one line of progress.</summary>
    public void Line(string text)
    {
        if (live) Ansi.WriteLine(text);
        else lines.WriteLine(text);
    }

    /// <summary>
    /// Runs <paramref name="fit"/> (which must pass the given batch hook to <see cref="FitOptions.OnBatch"/> and the
    /// callback last among its callbacks) while showing its progress.
    /// </summary>
    public History Fit(string title, int epochs, Func<Action<BatchProgress>, Callback, History> fit)
    {
        Line(title);
        if (!live) return fit(_ => { }, new EpochLines(this, epochs));
        History? history = null;
        Ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var bars = new EpochBars(ctx, epochs);
                history = fit(bars.OnBatch, bars);
            });
        return history!;
    }

    /// <summary>The metrics of one epoch, as Keras's progress line shows them.</summary>
    internal static string Describe(int epoch, int epochs, IDictionary<string, double> logs)
    {
        var parts = new List<string> { $"epoch {epoch + 1,2}/{epochs}" };
        foreach (var key in new[] { "loss", "accuracy", "val_loss", "val_accuracy" })
            if (logs.TryGetValue(key, out var v)) parts.Add($"{key} {v:F4}");
        if (logs.TryGetValue("learning_rate", out var lr)) parts.Add($"lr {lr:0.###e+0}");
        return string.Join("  ", parts);
    }

    private sealed class EpochLines(DemoConsole console, int epochs) : Callback
    {
        private DateTime started;

        public override void OnEpochBegin(int epoch, TrainingContext context) => started = DateTime.UtcNow;

        public override void OnEpochEnd(int epoch, IDictionary<string, double> logs, TrainingContext context)
            => console.Line($"  {Describe(epoch, epochs, logs)}  ({(DateTime.UtcNow - started).TotalSeconds:F1} s)");
    }

    private sealed class EpochBars(ProgressContext ctx, int epochs) : Callback
    {
        private ProgressTask? current;

        public void OnBatch(BatchProgress p)
        {
            current ??= ctx.AddTask($"epoch {p.Epoch + 1,2}/{epochs}", maxValue: p.Batches);
            current.Value = p.Batch + 1;
            current.Description = $"epoch {p.Epoch + 1,2}/{epochs}  loss {p.Loss:F4}";
        }

        public override void OnEpochEnd(int epoch, IDictionary<string, double> logs, TrainingContext context)
        {
            if (current is null) return;
            current.Description = Printable.Markup(Describe(epoch, epochs, logs));
            current.StopTask();
            current = null;
        }
    }
}
