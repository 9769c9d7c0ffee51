namespace Zoo.Formats.Layers;

/// <summary>
/// <c>ReLU</c>: x ≥ max_value → max_value; threshold ≤ x &lt; max_value → x; otherwise negative_slope·(x − threshold).
/// </summary>
public sealed record ReLUSpec(string Name, string ClassName, double? MaxValue, double NegativeSlope, double Threshold) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static ReLUSpec Read(LayerConfig c)
        => new(c.Name, c.Node.ClassName, c.Has("max_value") ? c.Double(null, "max_value") : null,
            c.Double(0, "negative_slope"), c.Double(0, "threshold"));
}
