using System.Text.Json.Nodes;

namespace Zoo.Formats.Layers;

/// <summary>
/// <c>BatchNormalization</c>. At inference: y = γ·(x − moving_mean)/√(moving_variance + ε) + β on <see cref="Axis"/>.
/// Weights gamma (if scale), beta (if center), moving_mean, moving_variance; with tf.keras batch
/// renormalization also moving_stddev, renorm_mean and renorm_stddev (all non-trainable, in that order, as
/// tf.keras creates them). Keras 1 stores the variance under the misleading name <c>running_std</c> (its call
/// passes it to batch_normalization as the variance).
/// </summary>
/// <param name="Name">The layer's name.</param>
/// <param name="ClassName">The Keras class name.</param>
/// <param name="Axis">The feature axis.</param>
/// <param name="Epsilon">ε added to the variance.</param>
/// <param name="Center">Whether β exists.</param>
/// <param name="Scale">Whether γ exists.</param>
public sealed record BatchNormalizationSpec(string Name, string ClassName, int Axis, double Epsilon, bool Center, bool Scale)
    : LayerSpec(Name, ClassName)
{
    /// <summary>Weight of the old statistics in the moving averages (Keras default 0.99).</summary>
    public double Momentum { get; init; } = 0.99;

    /// <summary>tf.keras / Keras 2 batch renormalization (<c>renorm</c>); Keras 3 removed it.</summary>
    public bool Renorm { get; init; }

    /// <summary>The <c>renorm_clipping</c> bounds; every bound absent when the config gives none.</summary>
    public RenormClipping Clipping { get; init; } = RenormClipping.None;

    /// <summary>Momentum of the renorm_mean / renorm_stddev averages the corrections use (default 0.99).</summary>
    public double RenormMomentum { get; init; } = 0.99;

    /// <summary>Reads the spec (ε 1e-3, momentum 0.99, renorm off by default).</summary>
    public static BatchNormalizationSpec Read(LayerConfig c)
    {
        var axes = AxisList.Read(c, -1);
        if (axes.Length != 1) throw new UnsupportedFeatureException($"layer '{c.Name}' (BatchNormalization): more than one axis is not supported", null, $"layers/{c.Name}");
        if (c.Dialect == Ir.KerasDialectKind.Keras1 && c.Int(0, "mode") != 0)
            throw new UnsupportedFeatureException($"layer '{c.Name}' (BatchNormalization): Keras 1 mode {c.Int(0, "mode")} is not supported (only mode 0)", null, $"layers/{c.Name}");
        if (c.Has("virtual_batch_size"))
            throw new UnsupportedFeatureException($"layer '{c.Name}' (BatchNormalization): virtual_batch_size is not supported (it changes the weight shapes)", null, $"layers/{c.Name}/config/virtual_batch_size");
        double momentum = c.Double(0.99, "momentum");
        if (momentum is < 0 or > 1) throw c.Bad("momentum", "a number in [0, 1]", c.Find("momentum"));
        double renormMomentum = c.Double(0.99, "renorm_momentum");
        if (renormMomentum is < 0 or > 1) throw c.Bad("renorm_momentum", "a number in [0, 1]", c.Find("renorm_momentum"));
        return new(c.Name, c.Node.ClassName, axes[0], c.Double(1e-3, "epsilon"), c.Bool(true, "center"), c.Bool(true, "scale"))
        {
            Momentum = momentum,
            Renorm = c.Bool(false, "renorm"),
            Clipping = RenormClipping.Read(c),
            RenormMomentum = renormMomentum,
        };
    }

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        var shape = ShapeMath.Single(inputShapes, Name);
        var dim = new[] { shape[AxisList.Normalize(Axis, shape.Length)] };
        var w = new List<WeightSpec>();
        if (Scale) w.Add(new("gamma", dim));
        if (Center) w.Add(new("beta", dim));
        w.Add(new("moving_mean", dim, Aliases: new[] { "running_mean" }));
        w.Add(new("moving_variance", dim, Aliases: new[] { "running_std" }));
        if (Renorm)
        {
            w.Add(new("moving_stddev", dim));
            w.Add(new("renorm_mean", dim));
            w.Add(new("renorm_stddev", dim));
        }
        return w;
    }

    private static readonly string[] StatisticNames = ["moving_mean", "moving_variance", "moving_stddev", "renorm_mean", "renorm_stddev", "running_mean", "running_std"];

    /// <inheritdoc/>
    /// <remarks>
    /// The moving (and renorm) statistics are non-trainable; Keras 1 names carry the layer as a prefix
    /// (<c>batchnormalization_1_running_mean</c>).
    /// </remarks>
    public override bool IsTrainableWeight(string storedName)
    {
        var s = ShortName(storedName);
        foreach (var n in StatisticNames)
            if (s == n || s.EndsWith("_" + n, StringComparison.Ordinal)) return false;
        return true;
    }
}

/// <summary>
/// tf.keras <c>renorm_clipping</c>: r is clipped to [<see cref="RMin"/>, <see cref="RMax"/>] and d to
/// [−<see cref="DMax"/>, <see cref="DMax"/>]; an absent bound does not clip (tf.keras applies each key only when present).
/// </summary>
/// <param name="RMin">Lower bound of r, or null.</param>
/// <param name="RMax">Upper bound of r, or null.</param>
/// <param name="DMax">Bound of |d|, or null.</param>
public sealed record RenormClipping(double? RMin, double? RMax, double? DMax)
{
    /// <summary>No clipping at all.</summary>
    public static RenormClipping None { get; } = new(null, null, null);

    /// <summary>Reads <c>renorm_clipping</c>: null or a dictionary with only the keys rmin, rmax, dmax.</summary>
    public static RenormClipping Read(LayerConfig c)
    {
        var node = c.Find("renorm_clipping");
        if (node is null) return None;
        if (node is not JsonObject o) throw c.Bad("renorm_clipping", "null or a dictionary of rmin, rmax, dmax", node);
        foreach (var (key, _) in o)
            if (key is not ("rmin" or "rmax" or "dmax")) throw c.Bad("renorm_clipping", "only the keys rmin, rmax, dmax", node);
        double? Bound(string key)
        {
            var v = o[key];
            if (v is null) return null;
            if (v is JsonValue jv && jv.TryGetValue(out double d)) return d;
            throw c.Bad("renorm_clipping", $"a number for '{key}'", node);
        }
        return new(Bound("rmin"), Bound("rmax"), Bound("dmax"));
    }
}
