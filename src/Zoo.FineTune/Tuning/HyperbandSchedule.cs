namespace Zoo.FineTune.Tuning;

/// <summary>
/// Keras Tuner's Hyperband arithmetic, with its rounding. Brackets are numbered from the most aggressive
/// (s_max = the number of times max_epochs can be divided by factor while staying ≥ 1, minus one, i.e.
/// ⌊log_factor(max_epochs)⌋) down to 0 (plain random search); bracket s has s + 1 rounds.
/// <list type="bullet">
/// <item>models in round r of bracket s: ⌈ ⌈1 + log_factor(max_epochs)⌉ / (s + 1) · factor^(s − r) ⌉;</item>
/// <item>cumulative epochs after round r: ⌈ max_epochs / factor^(s − r) ⌉ (a promoted trial starts at round r − 1's).</item>
/// </list>
/// </summary>
public sealed record HyperbandSchedule
{
    /// <summary>The schedule for <paramref name="maxEpochs"/> and <paramref name="factor"/>.</summary>
    public HyperbandSchedule(int maxEpochs, int factor)
    {
        if (maxEpochs < 1) throw new ArgumentOutOfRangeException(nameof(maxEpochs), maxEpochs, "max_epochs must be at least 1");
        if (factor < 2) throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must be an integer of at least 2");
        (MaxEpochs, Factor) = (maxEpochs, factor);
    }

    /// <summary>Most epochs one model trains.</summary>
    public int MaxEpochs { get; }

    /// <summary>Reduction factor between rounds.</summary>
    public int Factor { get; }

    /// <summary>
    /// Number of brackets, s_max + 1: how many times max_epochs can be divided by factor (in floating point, as
    /// Keras Tuner does) before it drops below the minimum of one epoch.
    /// </summary>
    public int Brackets
    {
        get
        {
            double epochs = MaxEpochs;
            int brackets = 0;
            while (epochs >= 1) { epochs /= Factor; brackets++; }
            return brackets;
        }
    }

    /// <summary>Rounds of bracket <paramref name="bracket"/> (successive halvings + 1).</summary>
    public int Rounds(int bracket) => bracket + 1;

    /// <summary>Models trained in round <paramref name="round"/> of bracket <paramref name="bracket"/>.</summary>
    public int Size(int bracket, int round)
    {
        double bracket0End = Math.Ceiling(1 + Math.Log(MaxEpochs) / Math.Log(Factor));
        double bracketEnd = bracket0End / (bracket + 1);
        return (int)Math.Ceiling(bracketEnd * Math.Pow(Factor, bracket - round));
    }

    /// <summary>Cumulative epochs a model has trained after round <paramref name="round"/> of bracket <paramref name="bracket"/>.</summary>
    public int Epochs(int bracket, int round) => (int)Math.Ceiling(MaxEpochs / Math.Pow(Factor, bracket - round));
}
