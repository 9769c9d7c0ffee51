using System.Diagnostics;

namespace Zoo.FineTune.Tuning;

/// <summary>Why a search stopped.</summary>
public enum StopReason
{
    /// <summary>The strategy ran out of trials (all brackets done, max_trials reached, or the space exhausted).</summary>
    Finished,
    /// <summary>The wall-time budget was spent; the trial that was running completed first.</summary>
    TimeBudget,
    /// <summary>Cancelled (the trial that was running is not logged and runs again on resume).</summary>
    Cancelled,
    /// <summary>Three trials in a row failed (Keras Tuner's <c>max_consecutive_failed_trials</c>).</summary>
    Failures,
}

/// <summary>A finished trial, and whether its result came from the log of an earlier run.</summary>
public sealed record TrialRecord(Trial Trial, TrialResult Result, bool Replayed);

/// <summary>What a search gave: every trial in order, the baseline (defaults) trial if run, the best trial, why it stopped.</summary>
public sealed record TuningResult(IReadOnlyList<TrialRecord> Trials, TrialRecord? Baseline, TrialRecord? Best, StopReason Reason, Objective Objective);

/// <summary>
/// Runs a search: asks the oracle for trials, trains each with the runner, logs each finished trial, and on a
/// second run over the same folder replays logged trials (the oracle sees the same results in the same order, so
/// it makes the same decisions) and trains only the rest. Optionally trains a baseline trial at the space's
/// defaults first, for comparison.
/// <code>
/// var oracle = new HyperbandOracle(space, Objective.Parse("val_accuracy"), seed: 1, maxEpochs: 9);
/// var result = new Tuner(oracle, runner, "search-dir", description).Search();
/// </code>
/// </summary>
public sealed class Tuner(Oracle oracle, ITrialRunner runner, string directory, IReadOnlyDictionary<string, string> description)
{
    /// <summary>Id of the baseline trial in the log.</summary>
    public const string BaselineId = "baseline";

    private const int MaxConsecutiveFailures = 3;

    /// <summary>Whether to train the defaults first (default true).</summary>
    public bool RunBaseline { get; init; } = true;

    /// <summary>Wall time after which no new trial starts (this run's time; a resumed run starts a fresh budget).</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Hears progress.</summary>
    public ITuningObserver? Observer { get; init; }

    /// <summary>The folder holding the log and the checkpoints.</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Where trial <paramref name="id"/>'s best weights are saved.</summary>
    public string CheckpointOf(string id) => CheckpointPath(Directory, id);

    /// <summary>Where trial <paramref name="id"/>'s best weights are saved in the search folder <paramref name="folder"/>.</summary>
    public static string CheckpointPath(string folder, string id) => Path.Combine(Path.GetFullPath(folder), "checkpoints", $"trial_{id}.h5");

    /// <summary>Runs (or resumes) the search until it finishes, the budget is spent, or <paramref name="cancel"/> fires.</summary>
    public TuningResult Search(CancellationToken cancel = default)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "checkpoints"));
        var log = TrialLog.Open(Path.Combine(Directory, TrialLog.FileName), description);
        var clock = Stopwatch.StartNew();
        var done = new List<TrialRecord>();
        TrialRecord? baseline = null;
        int failures = 0;
        StopReason reason = StopReason.Finished;
        try
        {
            if (RunBaseline)
            {
                var trial = new Trial(BaselineId, -1, oracle.Space.Defaults(), 0, BaselineEpochs());
                baseline = RunOrReplay(trial, log, cancel);
            }
            while (true)
            {
                if (cancel.IsCancellationRequested) { reason = StopReason.Cancelled; break; }
                var trial = oracle.CreateTrial();
                if (trial is null) break;
                bool logged = log.Find(trial.Id) is not null;
                if (!logged && TimeBudget is { } budget && clock.Elapsed >= budget) { reason = StopReason.TimeBudget; break; }
                var record = RunOrReplay(trial, log, cancel);
                oracle.EndTrial(trial, record.Result);
                done.Add(record);
                failures = record.Result.Status == TrialStatus.Failed ? failures + 1 : 0;
                if (failures >= MaxConsecutiveFailures) { reason = StopReason.Failures; break; }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            reason = StopReason.Cancelled;
        }
        var best = oracle.BestTrial() is { } b ? done.First(r => r.Trial.Id == b.Id) : null;
        // The baseline competes too: a search whose trials all score below the defaults must hand back the defaults' model.
        if (baseline?.Result.Score is { } baseScore && (best?.Result.Score is not { } bestScore || oracle.Objective.Better(baseScore, bestScore)))
            best = baseline;
        return new TuningResult(done, baseline, best, reason, oracle.Objective);
    }

    private int BaselineEpochs() => oracle switch
    {
        RandomSearchOracle r => r.Epochs,
        HyperbandOracle h => h.Schedule.MaxEpochs,
        _ => 1,
    };

    private TrialRecord RunOrReplay(Trial trial, TrialLog log, CancellationToken cancel)
    {
        if (log.Find(trial.Id) is { } logged)
        {
            if (!SameTrial(logged.Trial, trial))
                throw new Zoo.Formats.ModelFormatException($"trial {trial.Id} in the log does not match the trial this search makes now (the log was written by another version or edited); delete it to start over", log.Path, trial.Id);
            Observer?.TrialStarted(trial, replayed: true);
            Observer?.TrialEnded(trial, logged.Result, replayed: true);
            return new TrialRecord(trial, logged.Result, true);
        }
        cancel.ThrowIfCancellationRequested();
        Observer?.TrialStarted(trial, replayed: false);
        var clock = Stopwatch.StartNew();
        TrialResult result;
        try
        {
            var parent = trial.ParentId is { } p ? CheckpointOf(p) : null;
            result = runner.Run(trial, CheckpointOf(trial.Id), parent, (e, logs) => Observer?.EpochEnded(trial, e, logs), cancel);
        }
        catch (OperationCanceledException) { throw; }
        catch (Exception e)
        {
            result = new TrialResult(TrialStatus.Failed, null, null, 0, clock.Elapsed.TotalSeconds, new Dictionary<string, double[]>(), $"{e.GetType().Name}: {e.Message}");
        }
        log.Append(trial, result);
        Observer?.TrialEnded(trial, result, replayed: false);
        return new TrialRecord(trial, result, false);
    }

    private static bool SameTrial(Trial a, Trial b)
        => a.Index == b.Index && a.InitialEpoch == b.InitialEpoch && a.Epochs == b.Epochs && a.ParentId == b.ParentId
           && a.Bracket == b.Bracket && a.Round == b.Round && a.Values.SequenceEqual(b.Values);
}
