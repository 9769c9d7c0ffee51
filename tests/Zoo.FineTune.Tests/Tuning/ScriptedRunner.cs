using Zoo.FineTune.Tuning;

namespace Zoo.FineTune.Tests.Tuning;

/// <summary>
/// A trial runner that trains nothing: a trial's score is a fixed function of its values and epochs (more epochs,
/// better), so oracle decisions can be predicted by hand. Counts the trials it ran and can cancel after some.
/// </summary>
internal sealed class ScriptedRunner(Func<Trial, double> score) : ITrialRunner
{
    public List<string> Ran { get; } = new();

    public CancellationTokenSource? CancelAfter { get; init; }

    public int CancelAfterCount { get; init; } = int.MaxValue;

    public TrialResult Run(Trial trial, string checkpoint, string? parentCheckpoint, Action<int, IReadOnlyDictionary<string, double>>? onEpoch, CancellationToken cancel)
    {
        Ran.Add(trial.Id);
        var s = score(trial);
        var series = Enumerable.Range(trial.InitialEpoch, trial.Epochs - trial.InitialEpoch).Select(e => s * (e + 1) / trial.Epochs).ToArray();
        if (Ran.Count >= CancelAfterCount) CancelAfter?.Cancel();
        return new TrialResult(TrialStatus.Completed, series.Max(), trial.Epochs - 1, series.Length, 0.001, new Dictionary<string, double[]> { ["val_accuracy"] = series });
    }

    /// <summary>Score from the learning rate: closest to 1e-3 is best.</summary>
    public static double LrScore(Trial t) => 1 / (1 + Math.Abs(Math.Log10(double.Parse(t.Values["lr"], System.Globalization.CultureInfo.InvariantCulture)) + 3));
}
