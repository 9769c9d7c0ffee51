namespace Zoo.Formats.Layers;

/// <summary>
/// <c>Dot</c>: a batched dot product of two inputs, contracting axis <see cref="Axes"/>[0] of the first with
/// axis <see cref="Axes"/>[1] of the second (axes count the batch axis as 0); <c>normalize</c> L2-normalizes
/// both along those axes first, which makes the result a cosine similarity.
/// </summary>
public sealed record DotSpec(string Name, string ClassName, int[] Axes, bool Normalize) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec; one int means the same axis on both inputs.</summary>
    public static DotSpec Read(LayerConfig c)
    {
        var axes = AxisList.Read(c, -1, "axes");
        if (axes.Length == 1) axes = new[] { axes[0], axes[0] };
        if (axes.Length != 2) throw c.Bad("axes", "one integer or a pair", c.Find("axes"));
        return new(c.Name, c.Node.ClassName, axes, c.Bool(false, "normalize"));
    }
}
