namespace Zoo.Formats.Layers;

/// <summary>
/// <c>LSTM</c>: gates in Keras order i, f, c, o within the fused kernel. Keras 1 stores W_/U_/b_ per gate,
/// listed in the order i, c, f, o.
/// </summary>
public sealed record LSTMSpec(string Name, string ClassName, RecurrentOptions Options) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static LSTMSpec Read(LayerConfig c) => new(c.Name, c.Node.ClassName, RecurrentOptions.Read(c, RecurrentOptions.DefaultGate(c.Dialect)));

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
        => Options.Weights(ShapeMath.Single(inputShapes, Name)[^1], 4, "icfo");
}
