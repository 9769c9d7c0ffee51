namespace Zoo.Formats.Layers;

/// <summary>
/// Keras 3's <c>SpectralNormalization</c> wrapper (and TensorFlow Addons' <c>Addons&gt;SpectralNormalization</c>,
/// the same algorithm) around a Dense or convolution layer. In a training call it runs
/// <see cref="PowerIterations"/> steps of power iteration from the stored vector u on the kernel viewed as
/// (−1, units), then assigns kernel ← kernel/σ and the new u to the variables themselves; at inference the
/// wrapped layer runs unchanged on the stored kernel. Weights: the inner layer's kernel and bias, then the
/// non-trainable u (1, units), named <c>vector_u</c> by Keras 3 and <c>sn_u</c> by TFA.
/// </summary>
/// <param name="Name">The wrapper's name.</param>
/// <param name="ClassName">The Keras class name.</param>
/// <param name="Inner">The wrapped Dense or convolution.</param>
/// <param name="PowerIterations">Power-iteration steps per training call (≥ 1; default 1).</param>
public sealed record SpectralNormalizationSpec(string Name, string ClassName, LayerSpec Inner, int PowerIterations) : LayerSpec(Name, ClassName)
{
    /// <summary>True for TensorFlow Addons' variant (u named <c>sn_u</c>, l2-normalize floor 1e-12 on the squared norm).</summary>
    public bool IsAddons => ClassName.StartsWith("Addons>", StringComparison.Ordinal);

    /// <summary>
    /// Floor of the squared norm in the l2 normalizations: Keras 3 uses its epsilon 1e-7 squared, TFA's
    /// tf.math.l2_normalize 1e-12.
    /// </summary>
    public double SquaredNormFloor => IsAddons ? 1e-12 : 1e-14;

    /// <summary>Reads the wrapper; only Dense and Conv1D/2D/3D are supported inside it.</summary>
    public static SpectralNormalizationSpec Read(LayerConfig c)
    {
        var inner = WrappedLayer.Read(c);
        if (inner is not (DenseSpec or ConvSpec))
            throw new UnsupportedFeatureException(
                $"layer '{c.Name}' ({c.Node.ClassName}): wrapping '{inner.ClassName}' is not supported (only Dense and Conv1D/2D/3D)", null, $"layers/{c.Name}/config/layer");
        int iterations = c.Int(1, "power_iterations");
        if (iterations <= 0) throw c.Bad("power_iterations", "an integer ≥ 1", c.Find("power_iterations"));
        return new(c.Name, c.Node.ClassName, inner, iterations);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        var inner = Inner.Weights(inputShapes);
        var w = new List<WeightSpec>(inner)
        {
            new("vector_u", new[] { 1L, inner[0].Shape[^1] }, Aliases: new[] { "sn_u" }),
        };
        return w;
    }

    /// <inheritdoc/>
    /// <remarks>The power iteration's vector u is non-trainable.</remarks>
    public override bool IsTrainableWeight(string storedName) => ShortName(storedName) != "vector_u";
}
