namespace Zoo.Formats.Layers;

/// <summary><c>Dense</c>: y = activation(x·kernel + bias) on the last axis; kernel (in, units).</summary>
public sealed record DenseSpec(string Name, string ClassName, int Units, bool UseBias, KerasActivation Activation) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec (Keras 1: <c>output_dim</c>, <c>bias</c>).</summary>
    public static DenseSpec Read(LayerConfig c)
        => new(c.Name, c.Node.ClassName, c.Int(null, "units", "output_dim"), c.Bool(true, "use_bias", "bias"), c.Activation());

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        long inDim = ShapeMath.Single(inputShapes, Name)[^1];
        var w = new List<WeightSpec> { new("kernel", new[] { inDim, (long)Units }, Aliases: new[] { "W" }) };
        if (UseBias) w.Add(new("bias", new[] { (long)Units }, Aliases: new[] { "b" }));
        return w;
    }
}
