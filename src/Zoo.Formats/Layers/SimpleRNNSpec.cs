namespace Zoo.Formats.Layers;

/// <summary><c>SimpleRNN</c>: h = activation(x·kernel + h·recurrent_kernel + bias). Keras 1: W, U, b.</summary>
public sealed record SimpleRNNSpec(string Name, string ClassName, RecurrentOptions Options) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static SimpleRNNSpec Read(LayerConfig c) => new(c.Name, c.Node.ClassName, RecurrentOptions.Read(c, KerasActivation.Sigmoid /* unused: SimpleRNN has no gates */));

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        long inDim = ShapeMath.Single(inputShapes, Name)[^1];
        long u = Options.Units;
        if (Options.Keras1)
            return new[] { new WeightSpec("W", new[] { inDim, u }), new WeightSpec("U", new[] { u, u }), new WeightSpec("b", new[] { u }) };
        var w = new List<WeightSpec> { new("kernel", new[] { inDim, u }), new("recurrent_kernel", new[] { u, u }) };
        if (Options.UseBias) w.Add(new("bias", new[] { u }));
        return w;
    }
}
