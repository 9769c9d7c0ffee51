using System.Globalization;
using Zoo.FineTune.Callbacks;
using Zoo.FineTune.Fitting;

namespace Zoo.Convert.Finetune;

/// <summary>What the closing table shows: each epoch's logs, the best epoch by the monitored value, and the files written.</summary>
/// <param name="History">The run's history.</param>
/// <param name="Monitor">The value that picks the best epoch (the early-stopping monitor, else val_loss, else loss).</param>
/// <param name="Files">What was written where.</param>
/// <param name="Stopper">The early-stopping callback, when there was one: its best epoch (min_delta and start_from_epoch
/// included) is the best epoch, and it knows which epoch's weights the model kept.</param>
internal sealed record RunSummary(History History, string Monitor, IReadOnlyList<(string What, string Path)> Files, EarlyStopping? Stopper = null)
{
    /// <summary>The table's columns: epoch, then these logs where present.</summary>
    public static readonly string[] Metrics = ["loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"];

    /// <summary>Column headers.</summary>
    public string[] Header => Metrics.Where(History.Values.ContainsKey).Prepend("epoch").ToArray();

    /// <summary>One row per epoch (1-based, as Keras prints them), numbers with 4 significant decimals.</summary>
    public IEnumerable<string[]> Rows()
    {
        var present = Metrics.Where(History.Values.ContainsKey).ToArray();
        for (int i = 0; i < History.Epochs.Count; i++)
            yield return present.Select(m => i < History.Values[m].Count ? Format(History.Values[m][i], m) : "").Prepend((History.Epochs[i] + 1).ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>The 0-based index of the best epoch by <see cref="Monitor"/>, or null when it was never logged.</summary>
    public int? BestIndex()
    {
        if (Stopper is { } stop && double.IsFinite(stop.Best)) return History.Epochs.IndexOf(stop.BestEpoch) is >= 0 and var at ? at : null;
        if (!History.Values.TryGetValue(Monitor, out var v) || v.Count == 0) return null;
        bool max = Monitor.EndsWith("acc", StringComparison.Ordinal) || Monitor.EndsWith("accuracy", StringComparison.Ordinal) || Monitor.EndsWith("auc", StringComparison.Ordinal);
        int best = 0;
        for (int i = 1; i < v.Count; i++) if (max ? v[i] > v[best] : v[i] < v[best]) best = i;
        return best;
    }

    /// <summary>"best epoch: 3 (val_loss 0.1234)" or a note that there is none.</summary>
    public string BestLine() => BestIndex() is { } b
        ? $"best epoch: {History.Epochs[b] + 1} ({Monitor} {Format(History.Values[Monitor][b], Monitor)})"
        : $"best epoch: none ({Monitor} was not logged)";

    /// <summary>
    /// Which epoch's weights the saved model holds, and when that is not the best epoch, why: so the best epoch printed
    /// above and the weights written never disagree without a word.
    /// </summary>
    public string SavedLine()
    {
        if (History.Epochs.Count == 0) return "saved: the initial weights (no epoch ran)";
        int last = History.Epochs[^1];
        int kept = Stopper?.WeightsEpoch ?? last;
        int? best = BestIndex() is { } b ? History.Epochs[b] : null;
        if (Stopper is { RestoreBestWeights: true } && kept == best) return $"saved: the weights of epoch {kept + 1}, the best (restored by early stopping)";
        if (best is null) return $"saved: the weights of the last epoch {kept + 1}";
        if (best == kept) return $"saved: the weights of epoch {kept + 1}, the last and the best";
        var how = Stopper is null ? "--early-stopping monitor=" + Monitor + ",patience=N,restore_best_weights=true" : "restore_best_weights=true in --early-stopping";
        return $"saved: the weights of the last epoch {kept + 1}, not of the best epoch {best + 1} (to save the best, pass {how})";
    }

    /// <summary>A logged value as the table prints it: learning rates with 4 significant digits, other values with 4 decimals.</summary>
    public static string Format(double v, string metric = "")
        => metric == "learning_rate" ? v.ToString("G4", CultureInfo.InvariantCulture) : v.ToString("0.0000", CultureInfo.InvariantCulture);
}
