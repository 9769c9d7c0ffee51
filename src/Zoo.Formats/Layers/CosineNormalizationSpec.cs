namespace Zoo.Formats.Layers;

/// <summary>
/// <c>Zoo&gt;CosineNormalization</c> (Luo et al. 2017, "Cosine Normalization: Using Cosine Similarity Instead of
/// Dot Product in Neural Networks"), a Zoo custom wrapper no Keras ships, around a Dense or convolution layer:
/// each pre-activation w·x + b becomes the cosine of the (bias-extended) vectors,
/// (w·x + b)/(√(|w|² + b²)·√(|x|² + 1) + ε) — without a bias, w·x/(|w|·|x| + ε) — where x is the input vector
/// (Dense) or the receptive-field patch under the kernel (convolution, zero padding included), then the
/// inner layer's activation. Outputs lie in [−1, 1]. Weights: the inner layer's kernel and bias.
/// Python Keras loads it only with a custom object registered as <c>Zoo&gt;CosineNormalization</c>.
/// </summary>
/// <param name="Name">The wrapper's name.</param>
/// <param name="ClassName">Always <see cref="KerasName"/>.</param>
/// <param name="Inner">The wrapped Dense or Conv1D/2D/3D.</param>
/// <param name="Epsilon">ε added to the product of norms (default 1e-7, Keras's epsilon).</param>
public sealed record CosineNormalizationSpec(string Name, string ClassName, LayerSpec Inner, double Epsilon) : LayerSpec(Name, ClassName)
{
    /// <summary>The registered name the layer is serialized under.</summary>
    public const string KerasName = "Zoo>CosineNormalization";

    /// <summary>Whether the wrapped layer has a bias.</summary>
    public bool HasBias => Inner switch { DenseSpec d => d.UseBias, ConvSpec cv => cv.UseBias, _ => false };

    /// <summary>Reads the wrapper; only Dense and Conv1D/2D/3D are supported inside it.</summary>
    public static CosineNormalizationSpec Read(LayerConfig c)
    {
        var inner = WrappedLayer.Read(c);
        if (inner is not (DenseSpec or ConvSpec))
            throw new UnsupportedFeatureException(
                $"layer '{c.Name}' ({KerasName}): wrapping '{inner.ClassName}' is not supported (only Dense and Conv1D/2D/3D)", null, $"layers/{c.Name}/config/layer");
        double epsilon = c.Double(1e-7, "epsilon");
        if (epsilon < 0) throw c.Bad("epsilon", "a number ≥ 0", c.Find("epsilon"));
        return new(c.Name, KerasName, inner, epsilon);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes) => Inner.Weights(inputShapes);
}
