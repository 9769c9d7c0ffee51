using System.Globalization;

namespace Zoo.FineTune.Tuning;

/// <summary>
/// The hyperparameters a fine-tuning search knows, in the order they are sampled (a conditional one after the
/// parameter it depends on), each with its validation and Zoo's default: the values a plain
/// <c>Freezer.Prepare</c> + <c>Fit</c> run would use.
/// </summary>
public static class KnownParameters
{
    /// <summary>Learning rate (<c>lr</c>; also <c>learning-rate</c>). Default 1e-3 (Adam's and RMSprop's Keras default).</summary>
    public const string LearningRate = "lr";
    /// <summary>Batch size. Default 32 (Keras's).</summary>
    public const string BatchSize = "batch-size";
    /// <summary>Optimizer: adam, sgd (momentum 0.9) or rmsprop. Default adam.</summary>
    public const string Optimizer = "optimizer";
    /// <summary>Dropout rate of the new head, in [0, 1). Default 0.2 (the Keras transfer-learning guide's).</summary>
    public const string Dropout = "dropout";
    /// <summary>Learning-rate schedule preset. Default constant.</summary>
    public const string Schedule = "schedule";
    /// <summary>Freezing policy: small, medium, large or auto. Default auto (chosen from the dataset's size).</summary>
    public const string Policy = "policy";
    /// <summary>Where <c>medium</c> cuts: N (the last N stages train), a fraction in (0, 1), or a layer name. Active only when policy is medium. Default 1.</summary>
    public const string Cut = "cut";

    /// <summary>Every name, in sampling order.</summary>
    public static readonly IReadOnlyList<string> Order = new[] { LearningRate, BatchSize, Optimizer, Dropout, Schedule, Policy, Cut };

    /// <summary>Optimizer names.</summary>
    public static readonly IReadOnlyList<string> Optimizers = new[] { "adam", "sgd", "rmsprop" };

    /// <summary>Policy names.</summary>
    public static readonly IReadOnlyList<string> Policies = new[] { "small", "medium", "large", "auto" };

    /// <summary>Schedule presets (see <see cref="TrialHyperparameters.Schedule"/>).</summary>
    public static readonly IReadOnlyList<string> Schedules = new[] { "constant", "lecture", "exponential", "step", "cosine" };

    /// <summary>Zoo's default for <paramref name="name"/>.</summary>
    public static string DefaultOf(string name) => name switch
    {
        LearningRate => "0.001",
        BatchSize => "32",
        Optimizer => "adam",
        Dropout => "0.2",
        Schedule => "constant",
        Policy => "auto",
        Cut => "1",
        _ => throw Unknown(name),
    };

    /// <summary>The canonical name of <paramref name="name"/> (aliases and case folded).</summary>
    public static string Canonical(string name)
    {
        var n = name.Trim().ToLowerInvariant().Replace('_', '-');
        n = n switch { "learning-rate" => LearningRate, "batch" or "batchsize" => BatchSize, "freeze" or "freezing" => Policy, _ => n };
        return Order.Contains(n) ? n : throw Unknown(name);
    }

    /// <summary>Whether <paramref name="name"/> takes real ranges (the others take choices).</summary>
    public static bool IsReal(string name) => name is LearningRate or Dropout;

    /// <summary>Checks that <paramref name="value"/> is a legal value of <paramref name="name"/>.</summary>
    public static void Check(string name, string value)
    {
        bool ok = name switch
        {
            LearningRate => Real(value) is > 0,
            Dropout => Real(value) is >= 0 and < 1,
            BatchSize => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b >= 1,
            Optimizer => Optimizers.Contains(value),
            Schedule => Schedules.Contains(value),
            Policy => Policies.Contains(value),
            Cut => value.Length > 0 && (Real(value) is not { } c || (c > 0 && (c < 1 || (c == Math.Floor(c) && c >= 1)))),
            _ => false,
        };
        if (!ok) throw new SearchSpaceException($"'{name}': expected {Expected(name)}, found '{value}'", name);
    }

    private static string Expected(string name) => name switch
    {
        LearningRate => "a number > 0",
        Dropout => "a rate in [0, 1)",
        BatchSize => "a whole number ≥ 1",
        Optimizer => string.Join(" or ", Optimizers),
        Schedule => string.Join(" or ", Schedules),
        Policy => string.Join(" or ", Policies),
        Cut => "a stage count N ≥ 1, a fraction in (0, 1) or a layer name",
        _ => "a known parameter",
    };

    internal static double? Real(string s)
        => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    private static SearchSpaceException Unknown(string name)
        => new($"expected a parameter name ({string.Join(", ", Order)}), found '{name}'", name);
}
