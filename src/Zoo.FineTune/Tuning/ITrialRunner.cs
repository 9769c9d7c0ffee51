namespace Zoo.FineTune.Tuning;

/// <summary>Trains one trial. <see cref="FineTuneTrialRunner"/> fine-tunes a Keras model; tests may script one.</summary>
public interface ITrialRunner
{
    /// <summary>
    /// Trains <paramref name="trial"/> (from <paramref name="parentCheckpoint"/>'s weights when it is a promotion),
    /// saves its best weights to <paramref name="checkpoint"/> and returns its result. Throws
    /// <see cref="OperationCanceledException"/> when <paramref name="cancel"/> fires mid-trial; other exceptions mark the trial failed.
    /// </summary>
    TrialResult Run(Trial trial, string checkpoint, string? parentCheckpoint, Action<int, IReadOnlyDictionary<string, double>>? onEpoch, CancellationToken cancel);
}

/// <summary>Hears a search's progress (for a live view); every method has a do-nothing default.</summary>
public interface ITuningObserver
{
    /// <summary>A trial starts (<paramref name="replayed"/>: its result comes from the log, nothing trains).</summary>
    void TrialStarted(Trial trial, bool replayed) { }

    /// <summary>An epoch of the running trial ended (absolute epoch number, its logs).</summary>
    void EpochEnded(Trial trial, int epoch, IReadOnlyDictionary<string, double> logs) { }

    /// <summary>A trial ended.</summary>
    void TrialEnded(Trial trial, TrialResult result, bool replayed) { }
}
