namespace Zoo.Formats.Layers;

/// <summary><c>Masking</c>: a time step whose features all equal <see cref="MaskValue"/> is masked (and zeroed).</summary>
public sealed record MaskingSpec(string Name, string ClassName, double MaskValue) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec (mask_value 0 by default).</summary>
    public static MaskingSpec Read(LayerConfig c) => new(c.Name, c.Node.ClassName, c.Double(0, "mask_value"));
}
