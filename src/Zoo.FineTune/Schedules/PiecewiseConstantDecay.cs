using System.Text.Json.Nodes;

namespace Zoo.FineTune.Optimizers.Schedules;

/// <summary>
/// Keras's <c>PiecewiseConstantDecay</c>: <c>values[0]</c> while step ≤ <c>boundaries[0]</c>, <c>values[i]</c>
/// while <c>boundaries[i−1]</c> &lt; step ≤ <c>boundaries[i]</c>, and <c>values[^1]</c> after the last boundary.
/// </summary>
public sealed class PiecewiseConstantDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule; <paramref name="values"/> has one more entry than <paramref name="boundaries"/>.</summary>
    public PiecewiseConstantDecay(IReadOnlyList<double> boundaries, IReadOnlyList<double> values)
    {
        if (boundaries.Count + 1 != values.Count)
            throw new ArgumentException($"PiecewiseConstantDecay needs one more value than boundaries, found {boundaries.Count} boundaries and {values.Count} values", nameof(values));
        for (int i = 1; i < boundaries.Count; i++)
            if (!(boundaries[i] > boundaries[i - 1]))
                throw new ArgumentException($"PiecewiseConstantDecay boundaries must increase, found {boundaries[i - 1]} then {boundaries[i]}", nameof(boundaries));
        Boundaries = boundaries.ToArray();
        Values = values.ToArray();
    }

    /// <summary>The steps where the rate changes.</summary>
    public IReadOnlyList<double> Boundaries { get; }

    /// <summary>The rate in each interval.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <inheritdoc/>
    public override string KerasClassName => "PiecewiseConstantDecay";

    /// <inheritdoc/>
    public override double At(long step)
    {
        for (int i = 0; i < Boundaries.Count; i++)
            if (step <= Boundaries[i]) return Values[i];
        return Values[^1];
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string Key, JsonNode? Value)> ConfigEntries()
    {
        yield return ("boundaries", new JsonArray(Boundaries.Select(b => (JsonNode?)KerasNumber.Of(b)).ToArray()));
        yield return ("values", new JsonArray(Values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()));
        yield return ("name", Name.Length > 0 ? Name : "PiecewiseConstant");
    }
}
