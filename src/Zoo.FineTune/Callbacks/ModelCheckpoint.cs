using System.Globalization;
using Zoo.Formats;

namespace Zoo.FineTune.Callbacks;

/// <summary>
/// Keras's <c>ModelCheckpoint</c>: after each epoch, saves the model (Keras HDF5 for <c>.h5</c>, or the format
/// of the extension) to <see cref="FilePath"/>; with <see cref="SaveBestOnly"/>, only when the monitored
/// value is strictly better than the best so far (no min_delta, as Keras). <c>{epoch}</c> in the path is
/// (or <c>{epoch:02d}</c>) is replaced by the 1-based epoch number, as Python's format does in Keras.
/// </summary>
public sealed class ModelCheckpoint(string filePath, string monitor = "val_loss", bool saveBestOnly = false, MonitorMode mode = MonitorMode.Auto,
    SaveOptions? saveOptions = null) : Callback
{
    private readonly bool maximize = Monitor.Maximizes(monitor, mode);
    private double best;

    /// <summary>Target path (may contain <c>{epoch}</c>).</summary>
    public string FilePath { get; } = filePath;

    /// <summary>The monitored log entry.</summary>
    public string MonitorName { get; } = monitor;

    /// <summary>Whether only improvements are saved.</summary>
    public bool SaveBestOnly { get; } = saveBestOnly;

    /// <summary>Epochs (0-based) at which a file was written.</summary>
    public List<int> SavedEpochs { get; } = new();

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        best = maximize ? double.NegativeInfinity : double.PositiveInfinity;
        SavedEpochs.Clear();
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IDictionary<string, double> logs, TrainingContext context)
    {
        if (SaveBestOnly)
        {
            if (Monitor.Value(logs, MonitorName) is not { } current) return;
            if (!(maximize ? current > best : current < best)) return;
            best = current;
        }
        var path = FilePath
            .Replace("{epoch:02d}", (epoch + 1).ToString("00", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{epoch}", (epoch + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        context.Model.Save(path, saveOptions);
        SavedEpochs.Add(epoch);
    }
}
