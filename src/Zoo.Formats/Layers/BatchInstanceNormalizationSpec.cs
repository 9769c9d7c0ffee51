namespace Zoo.Formats.Layers;

/// <summary>
/// <c>Zoo&gt;BatchInstanceNormalization</c> (Nam &amp; Kim 2018, "Batch-Instance Normalization for Adaptively
/// Style-Invariant Neural Networks"), a Zoo custom layer no Keras ships:
/// y = (ρ·x̂_BN + (1 − ρ)·x̂_IN)·γ + β per channel, where x̂_BN uses the batch's mean and biased variance over
/// every axis but the channels (the moving statistics at inference) and x̂_IN each sample's over its spatial
/// axes. ρ ∈ [0, 1] per channel is trained and clipped to [0, 1] after every update. Weights in Keras order:
/// gamma, beta, rho (trainable), moving_mean, moving_variance (non-trainable). Python Keras loads it only
/// with a custom object registered as <c>Zoo&gt;BatchInstanceNormalization</c>.
/// </summary>
/// <param name="Name">The layer's name.</param>
/// <param name="ClassName">Always <see cref="KerasName"/>.</param>
/// <param name="Options">Axis, ε, momentum, center, scale (ε 1e-3, momentum 0.99 by default).</param>
public sealed record BatchInstanceNormalizationSpec(string Name, string ClassName, ChannelNormOptions Options) : LayerSpec(Name, ClassName)
{
    /// <summary>The registered name the layer is serialized under.</summary>
    public const string KerasName = "Zoo>BatchInstanceNormalization";

    /// <summary>Reads the spec.</summary>
    public static BatchInstanceNormalizationSpec Read(LayerConfig c) => new(c.Name, KerasName, ChannelNormOptions.Read(c));

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        long ch = Options.Channels(ShapeMath.Single(inputShapes, Name), Name, KerasName, needsSpatial: true);
        return Options.Affine(ch).Append(new("rho", new[] { ch })).Concat(ChannelNormOptions.Moving(ch)).ToList();
    }

    /// <inheritdoc/>
    /// <remarks>The moving statistics are non-trainable.</remarks>
    public override bool IsTrainableWeight(string storedName) => !ShortName(storedName).StartsWith("moving_", StringComparison.Ordinal);
}
