namespace Zoo.Formats.Layers;

/// <summary><c>Softmax</c> layer over <see cref="Axis"/> (default −1).</summary>
public sealed record SoftmaxSpec(string Name, string ClassName, int Axis) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static SoftmaxSpec Read(LayerConfig c)
    {
        var axes = AxisList.Read(c, -1);
        if (axes.Length != 1) throw new UnsupportedFeatureException($"layer '{c.Name}' (Softmax): softmax over several axes is not supported", null, $"layers/{c.Name}");
        return new(c.Name, c.Node.ClassName, axes[0]);
    }
}
