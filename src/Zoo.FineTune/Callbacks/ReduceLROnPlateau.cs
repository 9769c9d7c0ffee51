namespace Zoo.FineTune.Callbacks;

/// <summary>
/// Keras's <c>ReduceLROnPlateau</c>: an epoch improves when <c>current &lt; best − min_delta</c> (min mode;
/// <c>current &gt; best + min_delta</c> for max). After <see cref="Patience"/> epochs without improvement
/// (outside cooldown) the rate becomes max(lr·factor, min_lr) if lr &gt; min_lr, and a cooldown of
/// <see cref="Cooldown"/> epochs starts, during which the wait counter stays at 0.
/// </summary>
public sealed class ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, MonitorMode mode = MonitorMode.Auto,
    double minDelta = 1e-4, int cooldown = 0, double minLearningRate = 0) : Callback
{
    private readonly bool maximize = Monitor.Maximizes(monitor, mode);
    private double best;
    private int wait, cooldownCounter;

    /// <summary>The monitored log entry.</summary>
    public string MonitorName { get; } = monitor;

    /// <summary>Multiplier of the rate on a plateau (must be below 1).</summary>
    public double Factor { get; } = factor < 1 ? factor : throw new ArgumentOutOfRangeException(nameof(factor), factor, "ReduceLROnPlateau does not support a factor >= 1");

    /// <summary>Epochs without improvement before a reduction.</summary>
    public int Patience { get; } = patience;

    /// <summary>Epochs to wait after a reduction before counting again.</summary>
    public int Cooldown { get; } = cooldown;

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        best = maximize ? double.NegativeInfinity : double.PositiveInfinity;
        wait = 0;
        cooldownCounter = 0;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IDictionary<string, double> logs, TrainingContext context)
    {
        logs["learning_rate"] = context.Optimizer.LearningRate;
        if (Monitor.Value(logs, MonitorName) is not { } current) return;
        if (cooldownCounter > 0) { cooldownCounter--; wait = 0; }
        if (maximize ? current > best + minDelta : current < best - minDelta)
        {
            best = current;
            wait = 0;
        }
        else if (cooldownCounter <= 0)
        {
            wait++;
            if (wait >= Patience)
            {
                double old = context.Optimizer.LearningRate;
                if (old > minLearningRate)
                {
                    context.Optimizer.LearningRate = Math.Max(old * Factor, minLearningRate);
                    cooldownCounter = Cooldown;
                    wait = 0;
                }
            }
        }
    }
}
