using Spectre.Console;
using Zoo.Convert.Commands;
using Zoo.FineTune.Tuning;

namespace Zoo.Convert.Tune;

/// <summary>Runs a search from the CLI: live progress (a terminal) or plain lines (redirected), Ctrl+C to interrupt, then the summary and the best model.</summary>
internal static class TuneRun
{
    public static int Execute(FineTuneSearch search, string outPath, Zoo.Formats.Ir.KerasFormat format, TextWriter stdout, TextWriter stderr)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl+C ends the search after logging what finished; a second one kills the process.
            if (cancel.IsCancellationRequested) return;
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            stdout.WriteLine($"tune: {search.Options.Strategy.ToString().ToLowerInvariant()} search, objective {search.Objective}, space {search.Options.Space}");
            stdout.WriteLine($"tune: log and checkpoints in {search.Directory}");
            bool live = Output.Terminal.IsTerminal(stdout) && AnsiConsole.Profile.Capabilities.Interactive;
            TuningResult result;
            if (live)
            {
                var console = AnsiConsole.Console;
                result = console.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(ctx => search.Run(new LiveTuneProgress(ctx, console, search.Objective, ExpectedTrials(search.Options)), cancel.Token));
            }
            else
                result = search.Run(new PlainTuneProgress(stdout, search.Objective), cancel.Token);
            return Summarize(search, result, outPath, format, stdout, stderr);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static int Summarize(FineTuneSearch search, TuningResult result, string outPath, Zoo.Formats.Ir.KerasFormat format, TextWriter stdout, TextWriter stderr)
    {
        int trained = result.Trials.Count(t => !t.Replayed), replayed = result.Trials.Count(t => t.Replayed);
        stdout.WriteLine($"tune: {result.Trials.Count} trials ({trained} trained now, {replayed} from the log); stopped: {Reason(result.Reason)}");
        if (result.Baseline?.Result.Score is { } b) stdout.WriteLine($"tune: baseline (defaults) {search.Objective.Name} = {TuneCommand.Format(b)}");
        stdout.WriteLine($"tune: report {Path.Combine(search.Directory, "trials.json")}, trials.csv, scores.png");
        if (result.Reason == StopReason.Cancelled)
        {
            stderr.WriteLine("zoo-convert: tune interrupted; run the same command again to resume (finished trials are kept)");
            return TuneCommand.Interrupted;
        }
        if (result.Best is not { } best)
        {
            stderr.WriteLine("zoo-convert: error: no trial completed, so there is no best model to save");
            return ExitCodes.VerificationFailed;
        }
        // The library saves Keras formats only; an .onnx best model is exported from the trial's checkpoint.
        if (format == Zoo.Formats.Ir.KerasFormat.Onnx) ModelWriter.Save(Zoo.Formats.KerasFile.Load(Tuner.CheckpointPath(search.Directory, best.Trial.Id)), outPath, new Zoo.Formats.SaveOptions { Format = format });
        else search.SaveBest(result, outPath, new Zoo.Formats.SaveOptions { Format = format });
        stdout.WriteLine($"tune: best trial {best.Trial.Id}: {search.Objective.Name} = {TuneCommand.Format(best.Result.Score!.Value)} at epoch {PlainTuneProgress.Epoch(best.Result.BestEpoch ?? 0)} ({PlainTuneProgress.Values(best.Trial)}) → {outPath}");
        return ExitCodes.Success;
    }

    private static string Reason(StopReason r) => r switch
    {
        StopReason.Finished => "finished",
        StopReason.TimeBudget => "time budget spent",
        StopReason.Cancelled => "interrupted",
        _ => "three trials in a row failed",
    };

    /// <summary>Trials the search will run at most (baseline included), for the overall progress bar.</summary>
    internal static int ExpectedTrials(TuneOptions o)
    {
        int n;
        if (o.Strategy == SearchStrategy.Random) n = o.MaxTrials ?? 10;
        else
        {
            var s = new HyperbandSchedule(o.MaxEpochs, o.Factor);
            n = Enumerable.Range(0, s.Brackets).Sum(b => Enumerable.Range(0, s.Rounds(b)).Sum(r => s.Size(b, r))) * o.HyperbandIterations;
            if (o.MaxTrials is { } cap) n = Math.Min(n, cap);
        }
        return n + (o.Baseline ? 1 : 0);
    }
}
