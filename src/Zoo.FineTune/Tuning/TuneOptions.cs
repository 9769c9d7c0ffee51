namespace Zoo.FineTune.Tuning;

/// <summary>Which search strategy to run.</summary>
public enum SearchStrategy
{
    /// <summary>Keras Tuner's <c>RandomSearch</c>.</summary>
    Random,
    /// <summary>Keras Tuner's <c>Hyperband</c>.</summary>
    Hyperband,
}

/// <summary>How a <see cref="FineTuneSearch"/> runs, with its defaults.</summary>
public sealed record TuneOptions
{
    /// <summary>Strategy (default random search).</summary>
    public SearchStrategy Strategy { get; init; } = SearchStrategy.Random;

    /// <summary>The space (default <see cref="SearchSpace.DefaultText"/>).</summary>
    public SearchSpace Space { get; init; } = SearchSpace.Parse(SearchSpace.DefaultText);

    /// <summary>Most trials: required for random search (default 10), an optional cap for Hyperband.</summary>
    public int? MaxTrials { get; init; } = 10;

    /// <summary>Epochs per random-search trial, and Hyperband's <c>max_epochs</c> (default 10).</summary>
    public int MaxEpochs { get; init; } = 10;

    /// <summary>Hyperband's reduction factor (default 3).</summary>
    public int Factor { get; init; } = 3;

    /// <summary>Hyperband's <c>hyperband_iterations</c> (default 1).</summary>
    public int HyperbandIterations { get; init; } = 1;

    /// <summary>The objective, <c>name</c> or <c>name:min|max</c> (default <c>val_accuracy</c>, maximised).</summary>
    public string Monitor { get; init; } = "val_accuracy";

    /// <summary>Early-stopping patience of each trial (default 3).</summary>
    public int Patience { get; init; } = 3;

    /// <summary>Fraction of the data (its end, Keras's <c>validation_split</c>) that validates (default 0.2).</summary>
    public double ValidationSplit { get; init; } = 0.2;

    /// <summary>Classes of the new head.</summary>
    public int Classes { get; init; }

    /// <summary>Seed of the draws and of each trial's training (default 1).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Wall time after which no new trial starts, or null.</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Whether to train the space's defaults first, for comparison (default true).</summary>
    public bool Baseline { get; init; } = true;

    /// <summary>Lets trials freeze a base whose weights were only initialized (see <see cref="Freezing.FineTuneOptions.AllowRandomBase"/>).</summary>
    public bool AllowRandomBase { get; init; }
}
