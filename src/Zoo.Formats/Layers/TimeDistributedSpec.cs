namespace Zoo.Formats.Layers;

/// <summary><c>TimeDistributed</c>: applies <see cref="Inner"/> to every step of axis 1; the weights are the inner layer's.</summary>
public sealed record TimeDistributedSpec(string Name, string ClassName, LayerSpec Inner) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static TimeDistributedSpec Read(LayerConfig c) => new(c.Name, c.Node.ClassName, WrappedLayer.Read(c));

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        var s = ShapeMath.Single(inputShapes, Name);
        var stepShape = new[] { s[0] * s[1] }.Concat(s.Skip(2)).ToArray();
        return Inner.Weights(new[] { stepShape });
    }

    /// <inheritdoc/>
    public override bool IsTrainableWeight(string storedName) => Inner.IsTrainableWeight(storedName);
}
