namespace Zoo.Formats.Layers;

/// <summary>
/// Layers that are the identity at inference: Dropout, SpatialDropout1D/2D/3D, GaussianNoise,
/// GaussianDropout, AlphaDropout, ActivityRegularization, Masking-free no-ops.
/// </summary>
public sealed record IdentitySpec(string Name, string ClassName) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static IdentitySpec Read(LayerConfig c) => new(c.Name, c.Node.ClassName);
}
