namespace Zoo.Formats.Layers;

/// <summary><c>ThresholdedReLU</c>: x where x &gt; θ, 0 elsewhere (θ default 1).</summary>
public sealed record ThresholdedReLUSpec(string Name, string ClassName, double Theta) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static ThresholdedReLUSpec Read(LayerConfig c) => new(c.Name, c.Node.ClassName, c.Double(1.0, "theta"));
}
