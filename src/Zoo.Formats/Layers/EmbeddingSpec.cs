namespace Zoo.Formats.Layers;

/// <summary><c>Embedding</c>: integer ids → rows of embeddings (input_dim, output_dim).</summary>
public sealed record EmbeddingSpec(string Name, string ClassName, int InputDim, int OutputDim, bool MaskZero) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static EmbeddingSpec Read(LayerConfig c)
        => new(c.Name, c.Node.ClassName, c.Int(null, "input_dim"), c.Int(null, "output_dim"), c.Bool(false, "mask_zero"));

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
        => new[] { new WeightSpec("embeddings", new long[] { InputDim, OutputDim }, Aliases: new[] { "W" }) };
}
