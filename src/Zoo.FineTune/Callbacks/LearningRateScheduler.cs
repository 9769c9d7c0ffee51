namespace Zoo.FineTune.Callbacks;

/// <summary>
/// Keras's <c>LearningRateScheduler</c>: before each epoch the rate becomes
/// <c>schedule(epoch, current rate)</c> (epochs 0-based); the rate is logged as <c>learning_rate</c>.
/// Presets are in <see cref="Schedules"/>.
/// </summary>
public sealed class LearningRateScheduler(Func<int, double, double> schedule) : Callback
{
    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, TrainingContext context)
    {
        double lr = schedule(epoch, context.Optimizer.LearningRate);
        if (!double.IsFinite(lr) || lr < 0)
            throw new InvalidOperationException($"the learning-rate schedule returned {lr} at epoch {epoch}; it must be a finite number ≥ 0");
        context.Optimizer.LearningRate = lr;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IDictionary<string, double> logs, TrainingContext context)
        => logs["learning_rate"] = context.Optimizer.LearningRate;
}

/// <summary>
/// Learning-rate schedules for <see cref="LearningRateScheduler"/>, as functions of (epoch, current rate).
/// Those that depend on the initial rate take it as <c>lr0</c>, so they never compound.
/// </summary>
public static class Schedules
{
    /// <summary>
    /// The lecture's schedule: <c>lr0</c> for epochs below 5, then <c>lr0·exp(0.1·(5 − epoch))</c>. It reads the
    /// initial rate, so it does not compound.
    /// </summary>
    public static Func<int, double, double> Lecture(double lr0)
        => (epoch, _) => epoch < 5 ? lr0 : lr0 * Math.Exp(0.1 * (5 - epoch));

    /// <summary>
    /// The compounding variant of <see cref="Lecture"/> (Keras's documentation example): the current rate
    /// unchanged for epochs below 5, then multiplied by exp(−0.1) each epoch.
    /// </summary>
    public static Func<int, double, double> LectureCompounding()
        => (epoch, lr) => epoch < 5 ? lr : lr * Math.Exp(-0.1);

    /// <summary>Exponential decay per epoch: <c>lr0·rate^(epoch/decayEpochs)</c>, floored exponent when <paramref name="staircase"/>.</summary>
    public static Func<int, double, double> Exponential(double lr0, double rate, double decayEpochs = 1, bool staircase = false)
        => (epoch, _) => lr0 * Math.Pow(rate, staircase ? Math.Floor(epoch / decayEpochs) : epoch / decayEpochs);

    /// <summary>Step decay: <c>lr0·drop^⌊epoch/every⌋</c>.</summary>
    public static Func<int, double, double> Step(double lr0, double drop, int every)
        => every > 0 ? (epoch, _) => lr0 * Math.Pow(drop, Math.Floor((double)epoch / every))
            : throw new ArgumentOutOfRangeException(nameof(every), every, "step decay needs a period of at least one epoch");

    /// <summary>
    /// Keras's <c>CosineDecay</c> by epoch: <c>lr0·((1 − α)·½(1 + cos(π·min(epoch, decayEpochs)/decayEpochs)) + α)</c>.
    /// </summary>
    public static Func<int, double, double> Cosine(double lr0, int decayEpochs, double alpha = 0)
        => decayEpochs > 0 ? (epoch, _) => lr0 * ((1 - alpha) * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(epoch, decayEpochs) / decayEpochs)) + alpha)
            : throw new ArgumentOutOfRangeException(nameof(decayEpochs), decayEpochs, "cosine decay needs at least one epoch");
}
