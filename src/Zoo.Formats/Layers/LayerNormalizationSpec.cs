namespace Zoo.Formats.Layers;

/// <summary>
/// <c>LayerNormalization</c>: normalizes over <see cref="Axes"/> with biased variance; gamma/beta have
/// the input's sizes on those axes. Keras 3's <c>rms_scaling</c> divides by the root mean square instead.
/// </summary>
public sealed record LayerNormalizationSpec(string Name, string ClassName, int[] Axes, double Epsilon, bool Center, bool Scale, bool RmsScaling)
    : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec (ε defaults to 1e-3).</summary>
    public static LayerNormalizationSpec Read(LayerConfig c)
        => new(c.Name, c.Node.ClassName, AxisList.Read(c, -1), c.Double(1e-3, "epsilon"), c.Bool(true, "center"),
            c.Bool(true, "scale"), c.Bool(false, "rms_scaling"));

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        var shape = ShapeMath.Single(inputShapes, Name);
        var dims = Axes.Select(a => shape[AxisList.Normalize(a, shape.Length)]).ToArray();
        var w = new List<WeightSpec>();
        if (Scale) w.Add(new("gamma", dims));
        if (Center && !RmsScaling) w.Add(new("beta", dims));
        return w;
    }
}
