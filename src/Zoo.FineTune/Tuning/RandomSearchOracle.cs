namespace Zoo.FineTune.Tuning;

/// <summary>
/// Keras Tuner's random search: every trial is a fresh random configuration, trained for
/// <see cref="Epochs"/> epochs, until <c>max_trials</c> or until the space is exhausted (20 duplicate draws in a row).
/// </summary>
public sealed class RandomSearchOracle : Oracle
{
    /// <summary>A random search of at most <paramref name="maxTrials"/> trials of <paramref name="epochs"/> epochs each.</summary>
    public RandomSearchOracle(SearchSpace space, Objective objective, int seed, int maxTrials, int epochs) : base(space, objective, seed, maxTrials)
    {
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "epochs must be at least 1");
        Epochs = epochs;
    }

    /// <summary>Epochs per trial.</summary>
    public int Epochs { get; }

    /// <inheritdoc/>
    protected override Trial? Populate(string id, int index)
        => RandomValues() is { } values ? new Trial(id, index, values, 0, Epochs) : null;
}
