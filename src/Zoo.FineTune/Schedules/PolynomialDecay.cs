using System.Text.Json.Nodes;

namespace Zoo.FineTune.Optimizers.Schedules;

/// <summary>
/// Keras's <c>PolynomialDecay</c>: <c>(initial − end)·(1 − s/d)^power + end</c> with s = min(step, decay_steps)
/// and d = decay_steps; with <paramref name="cycle"/>, s = step and d = decay_steps·⌈step/decay_steps⌉ (1 at step 0).
/// </summary>
public sealed class PolynomialDecay(double initialLearningRate, double decaySteps, double endLearningRate = 0.0001, double power = 1.0, bool cycle = false)
    : LearningRateSchedule
{
    /// <summary>The rate at step 0.</summary>
    public double InitialLearningRate { get; } = initialLearningRate;

    /// <summary>Steps from the initial to the end rate.</summary>
    public double DecaySteps { get; } = Positive(decaySteps, nameof(decaySteps));

    /// <summary>The rate reached after <see cref="DecaySteps"/>.</summary>
    public double EndLearningRate { get; } = endLearningRate;

    /// <summary>The polynomial's power.</summary>
    public double Power { get; } = power;

    /// <summary>Whether the decay restarts every multiple of <see cref="DecaySteps"/>.</summary>
    public bool Cycle { get; } = cycle;

    /// <inheritdoc/>
    public override string KerasClassName => "PolynomialDecay";

    /// <inheritdoc/>
    public override double At(long step)
    {
        double s = step, d = DecaySteps;
        if (Cycle) d *= step == 0 ? 1 : Math.Ceiling(s / DecaySteps);
        else s = Math.Min(s, d);
        return (InitialLearningRate - EndLearningRate) * Math.Pow(1 - s / d, Power) + EndLearningRate;
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string Key, JsonNode? Value)> ConfigEntries()
    {
        yield return ("initial_learning_rate", InitialLearningRate);
        yield return ("decay_steps", KerasNumber.Of(DecaySteps));
        yield return ("end_learning_rate", EndLearningRate);
        yield return ("power", Power);
        yield return ("cycle", Cycle);
        yield return ("name", Name.Length > 0 ? Name : "PolynomialDecay");
    }
}
