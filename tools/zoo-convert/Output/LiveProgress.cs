using Spectre.Console;
using Zoo.Formats.IO;

namespace Zoo.Convert.Output;

/// <summary>
/// Live feedback for long work, drawn on stderr only when stderr is a terminal: a spinner while a model
/// is read or built, and a progress bar fed by the writers' per-weight <see cref="WriteProgress"/> reports.
/// Elsewhere (redirected, tests) the work simply runs and nothing is drawn, so stdout and stderr stay parseable.
/// </summary>
internal sealed class LiveProgress
{
    private readonly IAnsiConsole? console;

    private LiveProgress(IAnsiConsole? console) => this.console = console;

    /// <summary>Feedback on <paramref name="stderr"/> when it is a terminal; silent otherwise.</summary>
    public static LiveProgress For(TextWriter stderr) => new(Terminal.ConsoleFor(stderr));

    /// <summary>Whether anything is drawn.</summary>
    public bool IsLive => console is not null;

    /// <summary>Runs <paramref name="work"/> under a spinner labelled <paramref name="what"/>.</summary>
    public T Step<T>(string what, Func<T> work)
        => console is null ? work() : console.Status().Spinner(Spinner.Known.Dots).Start(Printable.Markup(what), _ => work());

    /// <summary>
    /// Runs a write under a progress bar labelled <paramref name="what"/>: <paramref name="write"/> receives the
    /// reporter to hand to the writer (null when nothing is drawn). Formats without weight datasets (JSON,
    /// YAML, ONNX) show an indeterminate bar until they finish.
    /// </summary>
    public void Write(string what, Action<IProgress<WriteProgress>?> write)
    {
        if (console is null) { write(null); return; }
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new DownloadedColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Printable.Markup(what), maxValue: 1);
                task.IsIndeterminate = true;
                write(new BarReporter(task, what));
                task.IsIndeterminate = false;
                task.Value = task.MaxValue;
                task.Description = Printable.Markup(what);
            });
    }

    // Reports arrive on the writing thread; Spectre's renderer reads the task under its own lock.
    private sealed class BarReporter(ProgressTask task, string what) : IProgress<WriteProgress>
    {
        public void Report(WriteProgress p)
        {
            task.IsIndeterminate = false;
            task.MaxValue = Math.Max(1, p.BytesTotal);
            task.Value = p.BytesDone;
            task.Description = Printable.Markup($"{what} {p.Done}/{p.Total} {Shorten(p.ObjectPath)}");
        }

        private static string Shorten(string path) => path.Length <= 40 ? path : "…" + path[^39..];
    }
}
