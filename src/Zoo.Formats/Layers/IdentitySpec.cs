namespace Zoo.Formats.Layers;

/// <summary>
/// Layers that are the identity in inference and in training: ActivityRegularization (its penalty belongs to
/// the loss, which Zoo's fit does not add). The Dropout family is <see cref="DropoutSpec"/>.
/// </summary>
public sealed record IdentitySpec(string Name, string ClassName) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static IdentitySpec Read(LayerConfig c) => new(c.Name, c.Node.ClassName);
}
