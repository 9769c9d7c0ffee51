namespace Zoo.Formats.Layers;

/// <summary>
/// <c>Zoo&gt;SwitchableNormalization</c> (Luo et al. 2018, "Differentiable Learning-to-Normalize via Switchable
/// Normalization"), a Zoo custom layer no Keras ships: μ = Σ_k softmax(λ_mean)_k μ_k and
/// σ² = Σ_k softmax(λ_var)_k σ²_k over k ∈ (IN, LN, BN) — instance statistics per sample and channel over
/// the spatial axes, layer statistics per sample over spatial axes and channels, batch statistics per
/// channel over the batch and spatial axes (the moving statistics at inference), all biased — then
/// y = γ·(x − μ)/√(σ² + ε) + β. Weights in Keras order: gamma, beta, mean_weights (3), variance_weights (3)
/// (trainable; order IN, LN, BN), moving_mean, moving_variance (non-trainable). Python Keras loads it only
/// with a custom object registered as <c>Zoo&gt;SwitchableNormalization</c>.
/// </summary>
/// <param name="Name">The layer's name.</param>
/// <param name="ClassName">Always <see cref="KerasName"/>.</param>
/// <param name="Options">Axis, ε, momentum, center, scale (ε 1e-3, momentum 0.99 by default).</param>
public sealed record SwitchableNormalizationSpec(string Name, string ClassName, ChannelNormOptions Options) : LayerSpec(Name, ClassName)
{
    /// <summary>The registered name the layer is serialized under.</summary>
    public const string KerasName = "Zoo>SwitchableNormalization";

    /// <summary>Reads the spec.</summary>
    public static SwitchableNormalizationSpec Read(LayerConfig c) => new(c.Name, KerasName, ChannelNormOptions.Read(c));

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        long ch = Options.Channels(ShapeMath.Single(inputShapes, Name), Name, KerasName, needsSpatial: true);
        return Options.Affine(ch)
            .Append(new("mean_weights", new[] { 3L }))
            .Append(new("variance_weights", new[] { 3L }))
            .Concat(ChannelNormOptions.Moving(ch)).ToList();
    }

    /// <inheritdoc/>
    /// <remarks>The moving statistics are non-trainable.</remarks>
    public override bool IsTrainableWeight(string storedName) => !ShortName(storedName).StartsWith("moving_", StringComparison.Ordinal);
}
