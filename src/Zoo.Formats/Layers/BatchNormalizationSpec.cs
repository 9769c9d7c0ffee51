namespace Zoo.Formats.Layers;

/// <summary>
/// <c>BatchNormalization</c> at inference: y = γ·(x − moving_mean)/√(moving_variance + ε) + β on <see cref="Axis"/>.
/// Weights gamma (if scale), beta (if center), moving_mean, moving_variance. Keras 1 stores the variance
/// under the misleading name <c>running_std</c> (its call passes it to batch_normalization as the variance).
/// </summary>
public sealed record BatchNormalizationSpec(string Name, string ClassName, int Axis, double Epsilon, bool Center, bool Scale)
    : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec (ε defaults to 1e-3).</summary>
    public static BatchNormalizationSpec Read(LayerConfig c)
    {
        var axes = AxisList.Read(c, -1);
        if (axes.Length != 1) throw new UnsupportedFeatureException($"layer '{c.Name}' (BatchNormalization): more than one axis is not supported", null, $"layers/{c.Name}");
        if (c.Dialect == Ir.KerasDialectKind.Keras1 && c.Int(0, "mode") != 0)
            throw new UnsupportedFeatureException($"layer '{c.Name}' (BatchNormalization): Keras 1 mode {c.Int(0, "mode")} is not supported (only mode 0)", null, $"layers/{c.Name}");
        return new(c.Name, c.Node.ClassName, axes[0], c.Double(1e-3, "epsilon"), c.Bool(true, "center"), c.Bool(true, "scale"));
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
        return w;
    }
}
