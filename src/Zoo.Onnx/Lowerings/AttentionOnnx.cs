using Zoo.Formats.Layers;

namespace Zoo.Onnx.Lowerings;

/// <summary>Keras <c>Attention</c> (Luong dot or Bahdanau-style concat score, optional learned scale), unmasked.</summary>
internal static class AttentionOnnx
{
    /// <summary><c>Attention([query, value(, key)])</c>: softmax(score(q, k))·v.</summary>
    public static IReadOnlyList<string> Attention(OnnxLayerContext c)
    {
        var s = (AttentionSpec)c.Spec;
        if (c.Inputs.Count is < 2 or > 3) throw c.Unsupported($"expected [query, value] or [query, value, key], found {c.Inputs.Count} inputs");
        string q = c.Inputs[0], v = c.Inputs[1], k = c.Inputs.Count == 3 ? c.Inputs[2] : c.Inputs[1];
        int rank = c.Rank;
        var w = c.Weights;
        int wi = 0;
        string? scale = s.UseScale ? c.Init("scale", Array.Empty<long>(), w[wi++]) : null;
        string scores;
        if (s.Score == AttentionScore.Dot)
        {
            var perm = Enumerable.Range(0, rank).ToArray();
            (perm[^1], perm[^2]) = (perm[^2], perm[^1]);
            scores = c.Op("MatMul", new[] { q, c.Op("Transpose", k, ("perm", perm)) });
            if (scale is not null) scores = c.Op("Mul", new[] { scores, scale });
        }
        else
        {
            var sum = c.Op("Add", new[] { c.Op("Unsqueeze", new[] { q, c.Ints("axis_q", -2) }), c.Op("Unsqueeze", new[] { k, c.Ints("axis_k", -3) }) });
            if (scale is not null) sum = c.Op("Mul", new[] { sum, scale });
            var reduced = OnnxReduce.Sum(c, c.Op("Tanh", sum), new[] { rank }, keepDims: false);
            scores = c.Op("Mul", new[] { reduced, c.Init("concat_score_weight", Array.Empty<long>(), w[wi]) });
        }
        return new[] { c.Op("MatMul", new[] { c.Op("Softmax", scores, ("axis", -1)), v }) };
    }
}
