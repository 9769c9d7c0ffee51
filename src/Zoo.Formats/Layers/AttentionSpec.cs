namespace Zoo.Formats.Layers;

/// <summary>How Keras's dot-product <c>Attention</c> scores a query against a key.</summary>
public enum AttentionScore
{
    /// <summary>scores = q·kᵀ (times <c>scale</c> when use_scale).</summary>
    Dot,
    /// <summary>scores = concat_score_weight · Σ tanh(scale·(q + k)) (Bahdanau-style).</summary>
    Concat,
}

/// <summary>
/// <c>Attention</c> (Luong/Bahdanau, inputs [query, value] or [query, value, key]): softmax(scores)·value with
/// matrix products over the last two axes, exactly as Keras's batched matmul does (so rank-2 inputs attend
/// across the batch, as in Keras). Weights: <c>scale</c> () when use_scale; <c>concat_score_weight</c> () for concat.
/// </summary>
public sealed record AttentionSpec(string Name, string ClassName, bool UseScale, AttentionScore Score) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec; the deprecated <c>causal=True</c> config is refused rather than ignored.</summary>
    public static AttentionSpec Read(LayerConfig c)
    {
        if (c.Bool(false, "causal"))
            throw new UnsupportedFeatureException($"layer '{c.Name}' (Attention): causal masking is not supported yet", null, $"layers/{c.Name}");
        var score = c.String("dot", "score_mode") switch
        {
            "dot" => AttentionScore.Dot,
            "concat" => AttentionScore.Concat,
            _ => throw c.Bad("score_mode", "dot or concat", c.Find("score_mode")),
        };
        return new(c.Name, c.Node.ClassName, c.Bool(false, "use_scale"), score);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        var w = new List<WeightSpec>();
        if (UseScale) w.Add(new("scale", Array.Empty<long>()));
        if (Score == AttentionScore.Concat) w.Add(new("concat_score_weight", Array.Empty<long>()));
        return w;
    }
}
