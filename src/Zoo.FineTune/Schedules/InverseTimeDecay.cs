using System.Text.Json.Nodes;

namespace Zoo.FineTune.Optimizers.Schedules;

/// <summary>
/// Keras's <c>InverseTimeDecay</c>: <c>initial_learning_rate / (1 + decay_rate · step / decay_steps)</c>, the
/// quotient floored when <paramref name="staircase"/>.
/// </summary>
public sealed class InverseTimeDecay(double initialLearningRate, double decaySteps, double decayRate, bool staircase = false) : LearningRateSchedule
{
    /// <summary>The rate at step 0.</summary>
    public double InitialLearningRate { get; } = initialLearningRate;

    /// <summary>The step scale.</summary>
    public double DecaySteps { get; } = Positive(decaySteps, nameof(decaySteps));

    /// <summary>The decay rate.</summary>
    public double DecayRate { get; } = decayRate;

    /// <summary>Whether step / decay_steps is floored.</summary>
    public bool Staircase { get; } = staircase;

    /// <inheritdoc/>
    public override string KerasClassName => "InverseTimeDecay";

    /// <inheritdoc/>
    public override double At(long step)
    {
        double p = step / DecaySteps;
        if (Staircase) p = Math.Floor(p);
        return InitialLearningRate / (1 + DecayRate * p);
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string Key, JsonNode? Value)> ConfigEntries()
    {
        yield return ("initial_learning_rate", InitialLearningRate);
        yield return ("decay_steps", KerasNumber.Of(DecaySteps));
        yield return ("decay_rate", DecayRate);
        yield return ("staircase", Staircase);
        yield return ("name", Name.Length > 0 ? Name : "InverseTimeDecay");
    }
}
