using Zoo.Formats;
using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>Attention</c> at inference (dropout off, no masks): softmax(scores(q, k))·v.</summary>
public sealed class AttentionLowering(AttentionSpec spec) : LoweredLayer(spec)
{
    /// <inheritdoc/>
    /// <remarks>Keras masks query and value steps in the scores; not reproduced.</remarks>
    public override MaskBehavior Masking => MaskBehavior.Refuses;

    private readonly AttentionSpec s = spec;

    /// <inheritdoc/>
    public override Tensor[] Forward(IReadOnlyList<Tensor> inputs)
    {
        if (inputs.Count is < 2 or > 3)
            throw new ModelFormatException($"layer '{Name}' (Attention): expected [query, value] or [query, value, key], found {inputs.Count} inputs");
        Tensor q = inputs[0], v = inputs[1], k = inputs.Count == 3 ? inputs[2] : inputs[1];
        Tensor scores;
        if (s.Score == AttentionScore.Dot)
        {
            scores = q.matmul(k.transpose(-1, -2));
            if (Param("scale") is { } scale) scores = scores * scale;
        }
        else
        {
            var sum = q.unsqueeze(-2) + k.unsqueeze(-3);
            if (Param("scale") is { } scale) sum = sum * scale;
            scores = Param("concat_score_weight")! * sum.tanh().sum(-1);
        }
        return new[] { scores.softmax(-1).matmul(v) };
    }
}
