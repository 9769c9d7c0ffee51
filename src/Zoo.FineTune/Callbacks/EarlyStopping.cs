using static TorchSharp.torch;

namespace Zoo.FineTune.Callbacks;

/// <summary>
/// Keras's <c>EarlyStopping</c>, with its exact rules: an epoch improves when
/// <c>current − min_delta &lt; best</c> (min; <c>current + min_delta &gt; best</c> for max); the wait counter
/// grows every epoch and resets on an improvement that also beats the baseline; training stops when
/// wait ≥ patience at an epoch after the first. Epochs before <see cref="StartFromEpoch"/> are ignored.
/// With <see cref="RestoreBestWeights"/>, the best epoch's weights are put back when training ends.
/// Like Keras with <c>verbose=1</c> it says what it does through <see cref="TrainingContext.Report"/>: a monitor
/// that is not logged (once, with the names that are), the epoch it stopped at, and which epoch's weights the
/// model keeps. Epoch numbers in those messages count from 1, as Keras prints them; the properties are 0-based.
/// </summary>
public sealed class EarlyStopping(string monitor = "val_loss", double minDelta = 0, int patience = 0, MonitorMode mode = MonitorMode.Auto,
    double? baseline = null, bool restoreBestWeights = false, int startFromEpoch = 0) : Callback
{
    private readonly bool maximize = Monitor.Maximizes(monitor, mode);
    private readonly double delta = Math.Abs(minDelta);
    private Tensor[]? bestWeights;
    private double best;
    private int wait;
    private bool monitorChecked;
    private int lastEpoch = -1;

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

    /// <summary>
    /// The epoch whose weights the model holds after training: the best one when they were restored, else the
    /// last one that ran; null before training ends.
    /// </summary>
    public int? WeightsEpoch { get; private set; }

    /// <summary>
    /// Checks the monitor against the names a run will log, before it starts (Keras only finds out after the first
    /// epoch): returns the warning, listing the names that are available, or null when the monitor is among them.
    /// Either way the callback does not warn again during training.
    /// </summary>
    public string? CheckMonitor(IEnumerable<string> available)
    {
        monitorChecked = true;
        var names = available.ToList();
        return names.Contains(MonitorName, StringComparer.Ordinal) ? null : NotAvailable(names);
    }

    private string NotAvailable(IEnumerable<string> names)
    {
        var list = names.ToList();
        var hint = MonitorName.StartsWith("val_", StringComparison.Ordinal) && !list.Any(n => n.StartsWith("val_", StringComparison.Ordinal))
            ? " (val_ values need validation data: a validation split or validation data)" : "";
        return $"early stopping monitors '{MonitorName}', which is not logged{hint}; available: {string.Join(", ", list)}. Training will not stop early.";
    }

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        wait = 0;
        StoppedEpoch = 0;
        BestEpoch = 0;
        WeightsEpoch = null;
        lastEpoch = -1;
        best = maximize ? double.NegativeInfinity : double.PositiveInfinity;
        DisposeBest();
    }

    /// <summary>Keras's <c>_is_improvement</c>.</summary>
    private bool IsImprovement(double current, double reference)
        => maximize ? current - delta > reference : current + delta < reference;

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IDictionary<string, double> logs, TrainingContext context)
    {
        lastEpoch = epoch;
        if (Monitor.Value(logs, MonitorName) is not { } current)
        {
            if (!monitorChecked) context.Report(NotAvailable(logs.Keys));
            monitorChecked = true;
            return;
        }
        if (epoch < StartFromEpoch) return;
        if (RestoreBestWeights && bestWeights is null)
        {
            bestWeights = context.Session.Snapshot();
            BestEpoch = epoch;
        }
        wait++;
        if (IsImprovement(current, best))
        {
            best = current;
            BestEpoch = epoch;
            if (RestoreBestWeights) { DisposeBest(); bestWeights = context.Session.Snapshot(); }
            if (baseline is null || IsImprovement(current, baseline.Value)) wait = 0;
            return;
        }
        if (wait >= Patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            context.StopTraining = true;
            context.Report($"early stopping: stopped after epoch {epoch + 1}: {MonitorName} did not improve for {wait} epoch{(wait == 1 ? "" : "s")} "
                + $"(best {Format(best)} at epoch {BestEpoch + 1})");
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(TrainingContext context)
    {
        if (RestoreBestWeights && bestWeights is not null)
        {
            context.Session.Restore(bestWeights);
            WeightsEpoch = BestEpoch;
            context.Report(BestEpoch == lastEpoch
                ? $"early stopping: the best epoch is the last, {BestEpoch + 1} ({MonitorName} {Format(best)}); its weights are kept"
                : $"early stopping: restored the weights of the best epoch {BestEpoch + 1} ({MonitorName} {Format(best)})");
        }
        else
        {
            WeightsEpoch = lastEpoch >= 0 ? lastEpoch : null;
            // Without restoring, the model keeps the last epoch's weights: say so when the best was another one.
            if (lastEpoch >= 0 && double.IsFinite(best) && BestEpoch != lastEpoch)
                context.Report($"early stopping: the model keeps the weights of the last epoch {lastEpoch + 1}; the best {MonitorName} ({Format(best)}) "
                    + $"was at epoch {BestEpoch + 1} (restore_best_weights=true keeps that epoch's weights)");
        }
        DisposeBest();
    }

    private static string Format(double v) => v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);

    private void DisposeBest()
    {
        if (bestWeights is null) return;
        foreach (var t in bestWeights) t.Dispose();
        bestWeights = null;
    }
}
