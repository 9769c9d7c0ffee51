using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Training;

namespace Zoo.FineTune.Callbacks;

/// <summary>What a callback can see and change during <c>Fit</c>: the model, its optimizer, and Keras's <c>stop_training</c>.</summary>
public sealed class TrainingContext
{
    internal TrainingContext(TrainableModel trainer, Optimizer optimizer, Action<string>? onMessage = null)
    {
        Model = trainer.Model;
        Session = trainer.Session;
        Optimizer = optimizer;
        this.onMessage = onMessage;
    }

    private readonly Action<string>? onMessage;

    /// <summary>The model being trained.</summary>
    public Zoo.Models.KerasModel Model { get; }

    /// <summary>Its training view: the weights that train, snapshots of every weight.</summary>
    public Zoo.Models.Training.TrainingSession Session { get; }

    /// <summary>Its optimizer (<see cref="Optimizer.LearningRate"/> is what schedules set).</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Set to end training after the current epoch (Keras's <c>model.stop_training</c>).</summary>
    public bool StopTraining { get; set; }

    /// <summary>
    /// Says something the user should read (what Keras prints with <c>verbose=1</c>: a stop, a restore, a monitor
    /// that is not logged) through <see cref="Fitting.FitOptions.OnMessage"/>; dropped when that is null.
    /// </summary>
    public void Report(string message) => onMessage?.Invoke(message);
}

/// <summary>A Keras callback: hooks at the start and end of training and of each epoch (epochs are 0-based).</summary>
public abstract class Callback
{
    /// <summary>Before the first epoch.</summary>
    public virtual void OnTrainBegin(TrainingContext context) { }

    /// <summary>Before epoch <paramref name="epoch"/>.</summary>
    public virtual void OnEpochBegin(int epoch, TrainingContext context) { }

    /// <summary>After epoch <paramref name="epoch"/> with its <paramref name="logs"/> (a callback may add entries).</summary>
    public virtual void OnEpochEnd(int epoch, IDictionary<string, double> logs, TrainingContext context) { }

    /// <summary>After the last epoch.</summary>
    public virtual void OnTrainEnd(TrainingContext context) { }
}

/// <summary>Whether a monitored quantity improves downwards or upwards.</summary>
public enum MonitorMode
{
    /// <summary>From the name: <c>loss</c>/<c>val_loss</c> (and other errors) minimize; accuracy-like names maximize.</summary>
    Auto,
    /// <summary>Lower is better.</summary>
    Min,
    /// <summary>Higher is better.</summary>
    Max,
}

/// <summary>Shared rules of monitoring callbacks.</summary>
internal static class Monitor
{
    /// <summary>Keras's auto mode: names of accuracies and AUC maximize, everything else minimizes.</summary>
    public static bool Maximizes(string monitor, MonitorMode mode) => mode switch
    {
        MonitorMode.Max => true,
        MonitorMode.Min => false,
        _ => monitor.Contains("acc", StringComparison.Ordinal) || monitor.EndsWith("auc", StringComparison.Ordinal),
    };

    /// <summary>The monitored value, or null (Keras warns and skips) when the logs lack it.</summary>
    public static double? Value(IDictionary<string, double> logs, string monitor)
        => logs.TryGetValue(monitor, out var v) ? v : null;
}
