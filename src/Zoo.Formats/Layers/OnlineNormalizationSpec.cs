namespace Zoo.Formats.Layers;

/// <summary>
/// <c>Zoo&gt;OnlineNormalization</c> (Chiley et al. 2019, "Online Normalization for Training Neural Networks"),
/// a Zoo custom layer no Keras ships. Each sample is normalized with running estimates that only earlier
/// samples moved: y_t = γ·(x_t − μ_{t−1})/√(σ²_{t−1} + ε) + β, then, with the sample's own per-channel mean m_t
/// and biased variance v_t over its spatial axes (v_t = 0 without any),
/// μ_t = α·μ_{t−1} + (1 − α)·m_t and σ²_t = α·σ²_{t−1} + (1 − α)·v_t + α(1 − α)(m_t − μ_{t−1})², sample after
/// sample through the batch in order; α is <c>alpha_fwd</c> (default 0.999). Inference normalizes with the
/// estimates and leaves them. Weights: gamma, beta (trainable), moving_mean, moving_variance (the estimates,
/// non-trainable). Python Keras loads it only with a custom object registered as <c>Zoo&gt;OnlineNormalization</c>.
/// </summary>
/// <param name="Name">The layer's name.</param>
/// <param name="ClassName">Always <see cref="KerasName"/>.</param>
/// <param name="Options">Axis, ε, α (as the momentum), center, scale.</param>
public sealed record OnlineNormalizationSpec(string Name, string ClassName, ChannelNormOptions Options) : LayerSpec(Name, ClassName)
{
    /// <summary>The registered name the layer is serialized under.</summary>
    public const string KerasName = "Zoo>OnlineNormalization";

    /// <summary>The forward decay α_f of the running estimates.</summary>
    public double AlphaForward => Options.Momentum;

    /// <summary>Reads the spec (<c>alpha_fwd</c> 0.999 and ε 1e-3 by default).</summary>
    public static OnlineNormalizationSpec Read(LayerConfig c) => new(c.Name, KerasName, ChannelNormOptions.Read(c, "alpha_fwd", 0.999));

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        long ch = Options.Channels(ShapeMath.Single(inputShapes, Name), Name, KerasName, needsSpatial: false);
        return Options.Affine(ch).Concat(ChannelNormOptions.Moving(ch)).ToList();
    }

    /// <inheritdoc/>
    /// <remarks>The moving statistics are non-trainable.</remarks>
    public override bool IsTrainableWeight(string storedName) => !ShortName(storedName).StartsWith("moving_", StringComparison.Ordinal);
}
