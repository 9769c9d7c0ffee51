namespace Zoo.Formats.Layers;

/// <summary><c>Activation</c>: applies one Keras activation.</summary>
public sealed record ActivationSpec(string Name, string ClassName, KerasActivation Activation) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static ActivationSpec Read(LayerConfig c) => new(c.Name, c.Node.ClassName, c.Activation());
}
