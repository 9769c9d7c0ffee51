using System.Text.Json.Nodes;

namespace Zoo.FineTune.Optimizers.Schedules;

/// <summary>
/// Keras 3's <c>CosineDecay</c> with optional linear warmup. Without <paramref name="warmupTarget"/>:
/// <c>initial·((1 − α)·½(1 + cos(π·min(step, d)/d)) + α)</c>. With it: for step &lt; warmup_steps,
/// <c>initial + (target − initial)·step/warmup_steps</c>; afterwards the cosine from <c>target</c> over
/// <c>min(step, d + warmup) − warmup</c>.
/// </summary>
public sealed class CosineDecay(double initialLearningRate, double decaySteps, double alpha = 0.0, double? warmupTarget = null, double warmupSteps = 0)
    : LearningRateSchedule
{
    /// <summary>The rate at step 0.</summary>
    public double InitialLearningRate { get; } = initialLearningRate;

    /// <summary>Steps of the cosine decay.</summary>
    public double DecaySteps { get; } = Positive(decaySteps, nameof(decaySteps));

    /// <summary>The final rate as a fraction of the rate the decay starts from.</summary>
    public double Alpha { get; } = alpha;

    /// <summary>The rate warmup reaches (null: no warmup).</summary>
    public double? WarmupTarget { get; } = warmupTarget;

    /// <summary>Steps of linear warmup.</summary>
    public double WarmupSteps { get; } = warmupSteps >= 0 ? warmupSteps : throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "warmup_steps must be ≥ 0");

    /// <inheritdoc/>
    public override string KerasClassName => "CosineDecay";

    /// <inheritdoc/>
    public override double At(long step)
    {
        if (WarmupTarget is not { } target) return Decay(Math.Min(step, DecaySteps), InitialLearningRate);
        double s = Math.Min(step, DecaySteps + WarmupSteps);
        return s < WarmupSteps
            ? (target - InitialLearningRate) * (s / WarmupSteps) + InitialLearningRate
            : Decay(s - WarmupSteps, target);
    }

    private double Decay(double step, double from)
        => from * ((1 - Alpha) * (0.5 * (1.0 + Math.Cos(Math.PI * (step / DecaySteps)))) + Alpha);

    /// <inheritdoc/>
    protected override IEnumerable<(string Key, JsonNode? Value)> ConfigEntries()
    {
        yield return ("initial_learning_rate", InitialLearningRate);
        yield return ("decay_steps", KerasNumber.Of(DecaySteps));
        yield return ("alpha", Alpha);
        yield return ("name", Name.Length > 0 ? Name : "CosineDecay");
        yield return ("warmup_target", WarmupTarget);
        yield return ("warmup_steps", KerasNumber.Of(WarmupSteps));
    }
}
