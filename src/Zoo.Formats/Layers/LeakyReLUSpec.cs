namespace Zoo.Formats.Layers;

/// <summary><c>LeakyReLU</c>: x for x ≥ 0, slope·x otherwise (Keras 2 <c>alpha</c>, Keras 3 <c>negative_slope</c>; default 0.3).</summary>
public sealed record LeakyReLUSpec(string Name, string ClassName, double Slope) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static LeakyReLUSpec Read(LayerConfig c) => new(c.Name, c.Node.ClassName, c.Double(0.3, "negative_slope", "alpha"));
}
