using static TorchSharp.torch;

namespace Zoo.FineTune.Callbacks;

/// <summary>
/// Keras's <c>EarlyStopping</c>, with its exact rules: an epoch improves when
/// <c>current − min_delta &lt; best</c> (min; <c>current + min_delta &gt; best</c> for max); the wait counter
/// grows every epoch and resets on an improvement that also beats the baseline; training stops when
/// wait ≥ patience at an epoch after the first. Epochs before <see cref="StartFromEpoch"/> are ignored.
/// With <see cref="RestoreBestWeights"/>, the best epoch's weights are put back when training ends.
/// </summary>
public sealed class EarlyStopping(string monitor = "val_loss", double minDelta = 0, int patience = 0, MonitorMode mode = MonitorMode.Auto,
    double? baseline = null, bool restoreBestWeights = false, int startFromEpoch = 0) : Callback
{
    private readonly bool maximize = Monitor.Maximizes(monitor, mode);
    private readonly double delta = Math.Abs(minDelta);
    private Tensor[]? bestWeights;
    private double best;
    private int wait;

    /// <summary>The monitored log entry.</summary>
    public string MonitorName { get; } = monitor;

    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; } = patience;

    /// <summary>Whether the best weights are restored at the end.</summary>
    public bool RestoreBestWeights { get; } = restoreBestWeights;

    /// <summary>First epoch that counts.</summary>
    public int StartFromEpoch { get; } = startFromEpoch;

    /// <summary>The epoch at which training was stopped (0 when it was not).</summary>
    public int StoppedEpoch { get; private set; }

    /// <summary>The epoch with the best monitored value.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The best monitored value seen.</summary>
    public double Best => best;

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        wait = 0;
        StoppedEpoch = 0;
        BestEpoch = 0;
        best = maximize ? double.NegativeInfinity : double.PositiveInfinity;
        DisposeBest();
    }

    /// <summary>Keras's <c>_is_improvement</c>.</summary>
    private bool IsImprovement(double current, double reference)
        => maximize ? current - delta > reference : current + delta < reference;

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IDictionary<string, double> logs, TrainingContext context)
    {
        if (Monitor.Value(logs, MonitorName) is not { } current || epoch < StartFromEpoch) return;
        if (RestoreBestWeights && bestWeights is null)
        {
            bestWeights = context.Model.SnapshotWeights();
            BestEpoch = epoch;
        }
        wait++;
        if (IsImprovement(current, best))
        {
            best = current;
            BestEpoch = epoch;
            if (RestoreBestWeights) { DisposeBest(); bestWeights = context.Model.SnapshotWeights(); }
            if (baseline is null || IsImprovement(current, baseline.Value)) wait = 0;
            return;
        }
        if (wait >= Patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            context.StopTraining = true;
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(TrainingContext context)
    {
        if (RestoreBestWeights && bestWeights is not null) context.Model.RestoreWeights(bestWeights);
        DisposeBest();
    }

    private void DisposeBest()
    {
        if (bestWeights is null) return;
        foreach (var t in bestWeights) t.Dispose();
        bestWeights = null;
    }
}
