namespace Zoo.FineTune.Tuning;

/// <summary>The monitored metric a search optimises and its direction.</summary>
public sealed record Objective(string Name, bool Maximize)
{
    /// <summary>
    /// <c>name</c> or <c>name:min</c>/<c>name:max</c>. Without a direction it is inferred as Keras Tuner infers it:
    /// after dropping a <c>val_</c> and a <c>weighted_</c> prefix, <c>loss</c>, <c>crossentropy</c>, <c>ce</c> and
    /// names ending in <c>loss</c> or <c>error</c> minimise; <c>acc</c>, <c>accuracy</c>, <c>…_accuracy</c>,
    /// <c>auc</c>, <c>precision</c> and <c>recall</c> maximise.
    /// </summary>
    /// <exception cref="SearchSpaceException">The direction cannot be inferred, or is neither min nor max.</exception>
    public static Objective Parse(string text)
    {
        var parts = text.Trim().Split(':');
        if (parts.Length > 2 || parts[0].Length == 0) throw new SearchSpaceException($"monitor: expected NAME or NAME:min|max, found '{text}'", "monitor");
        if (parts.Length == 2)
            return parts[1] switch
            {
                "min" => new Objective(parts[0], false),
                "max" => new Objective(parts[0], true),
                _ => throw new SearchSpaceException($"monitor: expected the direction min or max, found '{parts[1]}'", "monitor"),
            };
        return new Objective(parts[0], InferMaximize(parts[0]) ?? throw new SearchSpaceException(
            $"monitor: could not infer whether '{parts[0]}' improves up or down; expected '{parts[0]}:min' or '{parts[0]}:max'", "monitor"));
    }

    /// <summary>Keras Tuner's direction inference: true to maximise, false to minimise, null when unknown.</summary>
    public static bool? InferMaximize(string metric)
    {
        var m = metric.StartsWith("val_", StringComparison.Ordinal) ? metric[4..] : metric;
        if (m.StartsWith("weighted_", StringComparison.Ordinal)) m = m[9..];
        if (m is "loss" or "crossentropy" or "ce" || m.EndsWith("loss", StringComparison.Ordinal) || m.EndsWith("error", StringComparison.Ordinal)) return false;
        if (m is "acc" or "accuracy" or "auc" or "precision" or "recall" || m.EndsWith("_accuracy", StringComparison.Ordinal)) return true;
        return null;
    }

    /// <summary>Whether <paramref name="a"/> is strictly better than <paramref name="b"/>.</summary>
    public bool Better(double a, double b) => Maximize ? a > b : a < b;

    /// <summary>The objective as text (<c>val_accuracy:max</c>).</summary>
    public override string ToString() => $"{Name}:{(Maximize ? "max" : "min")}";
}
