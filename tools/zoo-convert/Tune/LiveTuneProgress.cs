using Zoo.Convert.Output;
using Spectre.Console;
using Zoo.FineTune.Tuning;

namespace Zoo.Convert.Tune;

/// <summary>The terminal view: an overall trials bar, a bar for the running trial's epochs, and a line above them per finished trial.</summary>
internal sealed class LiveTuneProgress(ProgressContext context, IAnsiConsole console, Objective objective, int expectedTrials) : ITuningObserver
{
    private readonly ProgressTask overall = context.AddTask("trials", maxValue: Math.Max(1, expectedTrials));
    private ProgressTask? current;
    private double? best;

    public void TrialStarted(Trial trial, bool replayed)
    {
        if (replayed) return;
        current?.StopTask();
        current = context.AddTask(Printable.Markup($"trial {trial.Id}: {PlainTuneProgress.Epochs(trial)}"), maxValue: Math.Max(1, trial.Epochs - trial.InitialEpoch));
    }

    public void EpochEnded(Trial trial, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (current is null) return;
        current.Increment(1);
        if (logs.TryGetValue(objective.Name, out var v))
            current.Description = Printable.Markup($"trial {trial.Id}: epoch {PlainTuneProgress.Epoch(epoch)}/{trial.Epochs} {objective.Name} {v:0.####}");
    }

    public void TrialEnded(Trial trial, TrialResult result, bool replayed)
    {
        if (current is not null) { current.Value = current.MaxValue; current.StopTask(); current = null; }
        overall.Increment(1);
        bool isBest = result.Score is { } s && (best is null || objective.Better(s, best.Value));
        if (isBest) best = result.Score;
        var line = Printable.Markup(PlainTuneProgress.Line(trial, result, replayed, objective));
        console.MarkupLine(result.Status == TrialStatus.Failed ? $"[red]{line}[/]" : isBest ? $"[green]{line}[/]" : line);
        overall.Description = best is { } b ? Printable.Markup($"trials (best {objective.Name} {b:0.####})") : "trials";
    }
}
