namespace Zoo.Formats.Layers;

/// <summary><c>UnitNormalization</c>: x / √max(Σx², 1e-12) over <see cref="Axes"/>, as tf.math.l2_normalize.</summary>
public sealed record UnitNormalizationSpec(string Name, string ClassName, int[] Axes) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static UnitNormalizationSpec Read(LayerConfig c) => new(c.Name, c.Node.ClassName, AxisList.Read(c, -1));
}
