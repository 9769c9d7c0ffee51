namespace Zoo.Formats.Layers;

/// <summary>
/// <c>Flatten</c>: keeps the batch axis and flattens the rest in Keras (channels_last) order; with
/// data_format channels_first, Keras first moves channels last, so the order is H,W,C either way.
/// </summary>
public sealed record FlattenSpec(string Name, string ClassName, DataFormat DataFormat) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static FlattenSpec Read(LayerConfig c) => new(c.Name, c.Node.ClassName, c.DataFormat());
}
