using System.Text.Json.Nodes;

namespace Zoo.Formats.Summary.Rules;

/// <summary>Normalization layers: the output keeps the input's shape; the weights are per normalized feature.</summary>
internal static class NormalizationRules
{
    /// <summary>BatchNormalization: gamma and beta are trained; the moving mean and variance are not.</summary>
    public static readonly LayerRule BatchNorm = new(CoreRules.Identity.Shape, (l, c, x) =>
    {
        if (Features(c, x[0], -1) is not long n) return null;
        long trained = (c.Bool(true, "scale") ? n : 0) + (c.Bool(true, "center") ? n : 0);
        return new ParamCount(trained, 2 * n);
    });

    /// <summary>LayerNormalization: gamma and beta over the normalized axes.</summary>
    public static readonly LayerRule LayerNorm = new(CoreRules.Identity.Shape, (l, c, x) =>
        Features(c, x[0], -1) is long n
            ? new ParamCount((c.Bool(true, "scale") ? n : 0) + (c.Bool(true, "center") ? n : 0), 0) : null);

    /// <summary>GroupNormalization: gamma and beta per channel.</summary>
    public static readonly LayerRule GroupNorm = LayerNorm;

    /// <summary>The number of features along the config's <c>axis</c> (an int or a list of ints).</summary>
    private static long? Features(ConfigView c, TensorShape input, int fallbackAxis)
    {
        var node = c.Node("axis");
        IEnumerable<long> axes = node switch
        {
            JsonArray a => a.Select(v => ConfigView.AsLong(v) ?? throw new FormatException("axis")),
            null => [fallbackAxis],
            _ => [ConfigView.AsLong(node) ?? fallbackAxis],
        };
        long n = 1;
        foreach (var axis in axes)
        {
            if (input[(int)axis] is not long d) return null;
            n *= d;
        }
        return n;
    }
}
