using System.Globalization;

namespace Zoo.FineTune.Tuning;

/// <summary>
/// One tunable hyperparameter: a name, what values it may take, and its default (the value used when it is not
/// sampled). Values travel as invariant strings (floats in round-trip form) so a trial's configuration hashes and
/// logs exactly.
/// </summary>
public abstract record HyperParameter(string Name)
{
    /// <summary>The value used when this parameter is not sampled (the baseline trial, an inactive condition).</summary>
    public abstract string Default { get; }

    /// <summary>
    /// A value drawn from one fresh generator seeded with <paramref name="seed"/> (Keras Tuner draws each
    /// hyperparameter from its own seed, the oracle's running seed state, so a draw depends only on that number).
    /// </summary>
    public abstract string Sample(int seed);

    /// <summary>The parameter as the CLI writes it (<c>lr=1e-4..1e-2:log@0.001</c>).</summary>
    public abstract string Describe();

    /// <summary>
    /// A uniform draw in [0, 1) that depends only on <paramref name="seed"/>: SplitMix64 of the seed, top 53 bits.
    /// (The first output of <c>new Random(seed)</c> moves almost linearly with the seed, and Keras Tuner's seeds
    /// are consecutive, so it would sample nearly the same value trial after trial.)
    /// </summary>
    public static double Unit(int seed)
    {
        ulong z = unchecked((ulong)(uint)seed + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Round-trip invariant text of a double.</summary>
    internal static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A real number in [<see cref="Min"/>, <see cref="Max"/>], uniform or log-uniform (Keras Tuner's <c>Float</c>).</summary>
public sealed record FloatParameter : HyperParameter
{
    /// <summary>A range; <paramref name="defaultValue"/> must lie inside it.</summary>
    public FloatParameter(string name, double min, double max, bool log, double defaultValue) : base(name)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max)
            throw new SearchSpaceException($"'{name}': expected a range lo..hi with finite lo ≤ hi, found {Text(min)}..{Text(max)}", name);
        if (log && min <= 0)
            throw new SearchSpaceException($"'{name}': a log range needs lo > 0, found {Text(min)}", name);
        if (defaultValue < min || defaultValue > max)
            throw new SearchSpaceException($"'{name}': expected a default inside {Text(min)}..{Text(max)}, found {Text(defaultValue)}", name);
        (Min, Max, Log, DefaultValue) = (min, max, log, defaultValue);
    }

    /// <summary>Lower bound.</summary>
    public double Min { get; }

    /// <summary>Upper bound.</summary>
    public double Max { get; }

    /// <summary>Whether values are uniform in log space (learning rates).</summary>
    public bool Log { get; }

    /// <summary>The default as a number.</summary>
    public double DefaultValue { get; }

    /// <inheritdoc/>
    public override string Default => Text(DefaultValue);

    /// <inheritdoc/>
    public override string Sample(int seed) => Text(FromUnit(Unit(seed)));

    /// <summary>Maps a uniform draw u ∈ [0, 1) to the range (Keras Tuner's <c>prob_to_value</c>).</summary>
    public double FromUnit(double u) => Log ? Min * Math.Pow(Max / Min, u) : Min + u * (Max - Min);

    /// <inheritdoc/>
    public override string Describe() => $"{Name}={Text(Min)}..{Text(Max)}{(Log ? ":log" : "")}@{Default}";
}

/// <summary>One of a list of values (Keras Tuner's <c>Choice</c>).</summary>
public sealed record ChoiceParameter : HyperParameter
{
    /// <summary>Choices in order; <paramref name="defaultValue"/> must be one of them.</summary>
    public ChoiceParameter(string name, IReadOnlyList<string> values, string defaultValue) : base(name)
    {
        if (values.Count == 0) throw new SearchSpaceException($"'{name}': expected at least one choice, found none", name);
        var dup = values.GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new SearchSpaceException($"'{name}': expected distinct choices, found '{dup.Key}' twice", name);
        if (!values.Contains(defaultValue, StringComparer.Ordinal))
            throw new SearchSpaceException($"'{name}': expected a default among {string.Join("|", values)}, found '{defaultValue}'", name);
        (Values, DefaultValue) = (values.ToArray(), defaultValue);
    }

    /// <summary>The choices.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>The default choice.</summary>
    public string DefaultValue { get; }

    /// <inheritdoc/>
    public override string Default => DefaultValue;

    /// <inheritdoc/>
    public override string Sample(int seed) => Values[Math.Min(Values.Count - 1, (int)(Unit(seed) * Values.Count))];

    /// <inheritdoc/>
    public override string Describe() => $"{Name}={string.Join("|", Values)}@{Default}";
}
