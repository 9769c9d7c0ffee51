namespace Zoo.FineTune.Tuning;

/// <summary>
/// One configuration to train. <see cref="Values"/> are the sampled hyperparameters; the rest are Keras
/// Tuner's <c>tuner/…</c> entries: train from epoch <see cref="InitialEpoch"/> to <see cref="Epochs"/>
/// (cumulative), starting from trial <see cref="ParentId"/>'s weights when set (a Hyperband promotion), in
/// bracket <see cref="Bracket"/>, round <see cref="Round"/>.
/// </summary>
public sealed record Trial(string Id, int Index, SortedDictionary<string, string> Values, int InitialEpoch, int Epochs,
    string? ParentId = null, int? Bracket = null, int? Round = null)
{
    /// <summary>The values with the <c>tuner/…</c> entries, as Keras Tuner lists a trial's hyperparameters.</summary>
    public IReadOnlyDictionary<string, string> TunerValues()
    {
        var all = new SortedDictionary<string, string>(Values, StringComparer.Ordinal)
        {
            ["tuner/epochs"] = Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["tuner/initial_epoch"] = InitialEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (Bracket is { } b) all["tuner/bracket"] = b.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Round is { } r) all["tuner/round"] = r.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (ParentId is { } p) all["tuner/trial_id"] = p;
        return all;
    }
}

/// <summary>Whether a trial finished with a score.</summary>
public enum TrialStatus
{
    /// <summary>Trained and scored.</summary>
    Completed,
    /// <summary>Training failed or the monitored metric never had a finite value; the trial has no score.</summary>
    Failed,
}

/// <summary>
/// What a trial gave: its score (the best value of the objective over its epochs, Keras Tuner's
/// <c>get_best_value</c>), the absolute epoch of that value, how many epochs ran (early stopping may end a trial
/// before <see cref="Trial.Epochs"/>), its wall time, and every logged metric per epoch.
/// </summary>
public sealed record TrialResult(TrialStatus Status, double? Score, int? BestEpoch, int EpochsRun, double Seconds,
    IReadOnlyDictionary<string, double[]> Metrics, string? Error = null);
