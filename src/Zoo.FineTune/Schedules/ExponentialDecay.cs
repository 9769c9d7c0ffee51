using System.Text.Json.Nodes;

namespace Zoo.FineTune.Optimizers.Schedules;

/// <summary>
/// Keras's <c>ExponentialDecay</c>: <c>initial_learning_rate · decay_rate^(step / decay_steps)</c>, the exponent
/// floored when <paramref name="staircase"/>.
/// </summary>
public sealed class ExponentialDecay(double initialLearningRate, double decaySteps, double decayRate, bool staircase = false) : LearningRateSchedule
{
    /// <summary>The rate at step 0.</summary>
    public double InitialLearningRate { get; } = initialLearningRate;

    /// <summary>Steps per factor of <see cref="DecayRate"/>.</summary>
    public double DecaySteps { get; } = Positive(decaySteps, nameof(decaySteps));

    /// <summary>The factor per <see cref="DecaySteps"/>.</summary>
    public double DecayRate { get; } = decayRate;

    /// <summary>Whether the rate drops in whole steps of <see cref="DecaySteps"/>.</summary>
    public bool Staircase { get; } = staircase;

    /// <inheritdoc/>
    public override string KerasClassName => "ExponentialDecay";

    /// <inheritdoc/>
    public override double At(long step)
    {
        double p = step / DecaySteps;
        if (Staircase) p = Math.Floor(p);
        return InitialLearningRate * Math.Pow(DecayRate, p);
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string Key, JsonNode? Value)> ConfigEntries()
    {
        yield return ("initial_learning_rate", InitialLearningRate);
        yield return ("decay_steps", KerasNumber.Of(DecaySteps));
        yield return ("decay_rate", DecayRate);
        yield return ("staircase", Staircase);
        yield return ("name", Name.Length > 0 ? Name : "ExponentialDecay");
    }
}
