using Zoo.Formats.Layers;

namespace Zoo.Onnx.Lowerings;

/// <summary>
/// Inference exports of Zoo's channel normalizations (channels last): every statistic that inference holds fixed
/// (moving statistics, ρ, the softmaxed importance weights) is folded into per-channel constants here; instance and
/// layer statistics are computed in the graph with ReduceMean over the spatial axes.
/// </summary>
internal static class ZooNormalizationOnnx
{
    /// <summary><c>Zoo&gt;OnlineNormalization</c>: x·a + b with a = γ/√(σ² + ε), b = β − μ·a from the running estimates.</summary>
    public static IReadOnlyList<string> Online(OnnxLayerContext c)
    {
        var s = (OnlineNormalizationSpec)c.Spec;
        var (gamma, beta, rest) = Affine(c, s.Options);
        var (a, b) = Fold(gamma, beta, rest[0], rest[1], s.Options.Epsilon, 1f);
        long ch = a.Length;
        return new[] { c.Op("Add", new[] { c.Op("Mul", new[] { c.X, c.Init("scale", [ch], a) }), c.Init("shift", [ch], b) }) };
    }

    /// <summary>
    /// <c>Zoo&gt;BatchInstanceNormalization</c>: γρ·(x − μ)/√(σ² + ε) + β folded into x·a + b, plus γ(1 − ρ)·x̂_IN.
    /// </summary>
    public static IReadOnlyList<string> BatchInstance(OnnxLayerContext c)
    {
        var s = (BatchInstanceNormalizationSpec)c.Spec;
        var (gamma, beta, rest) = Affine(c, s.Options);
        var rho = rest[0].Select(r => Math.Clamp(r, 0f, 1f)).ToArray();
        long ch = rho.Length;
        var gr = rho.Select((r, i) => (gamma?[i] ?? 1f) * r).ToArray();
        var (a, b) = Fold(gr, beta, rest[1], rest[2], s.Options.Epsilon, 1f);
        var instanceScale = rho.Select((r, i) => (gamma?[i] ?? 1f) * (1 - r)).ToArray();
        var (inMean, inVar) = Instance(c);
        var xIn = Normalized(c, c.X, inMean, inVar, s.Options.Epsilon, "in_eps");
        var bnPart = c.Op("Add", new[] { c.Op("Mul", new[] { c.X, c.Init("bn_scale", [ch], a) }), c.Init("bn_shift", [ch], b) });
        return new[] { c.Op("Add", new[] { bnPart, c.Op("Mul", new[] { xIn, c.Init("in_scale", [ch], instanceScale) }) }) };
    }

    /// <summary><c>Zoo&gt;SwitchableNormalization</c>: mixes of IN, LN and the moving BN statistics with the softmaxed weights.</summary>
    public static IReadOnlyList<string> Switchable(OnnxLayerContext c)
    {
        var s = (SwitchableNormalizationSpec)c.Spec;
        var (gamma, beta, rest) = Affine(c, s.Options);
        var wm = Softmax(rest[0]);
        var wv = Softmax(rest[1]);
        long ch = rest[2].Length;
        int last = c.Rank - 1;
        var (inMean, inVar) = Instance(c);
        var second = c.Op("Add", new[] { inVar, c.Op("Mul", new[] { inMean, inMean }) });
        var lnMean = OnnxReduce.Mean(c, inMean, [last], keepDims: true);
        var lnVar = c.Op("Sub", new[] { OnnxReduce.Mean(c, second, [last], keepDims: true), c.Op("Mul", new[] { lnMean, lnMean }) });
        string Mix(float[] w, string ins, string ln, float[] moving, string tag)
        {
            var bn = c.Init($"{tag}_bn", [ch], moving.Select(m => w[2] * m).ToArray());
            var sum = c.Op("Add", new[] { c.Op("Mul", new[] { ins, c.Scalar($"{tag}_w_in", w[0]) }), c.Op("Mul", new[] { ln, c.Scalar($"{tag}_w_ln", w[1]) }) });
            return c.Op("Add", new[] { sum, bn });
        }
        var y = Normalized(c, c.X, Mix(wm, inMean, lnMean, rest[2], "mean"), Mix(wv, inVar, lnVar, rest[3], "variance"), s.Options.Epsilon, "eps");
        if (gamma is not null) y = c.Op("Mul", new[] { y, c.Init("gamma", [ch], gamma) });
        if (beta is not null) y = c.Op("Add", new[] { y, c.Init("beta", [ch], beta) });
        return new[] { y };
    }

    private static (float[]? Gamma, float[]? Beta, float[][] Others) Affine(OnnxLayerContext c, ChannelNormOptions o)
    {
        int axis = AxisList.Normalize(o.Axis, c.Rank);
        if (axis != c.Rank - 1)
            throw c.Unsupported($"only a channels-last axis is exported: expected axis -1 ({c.Rank - 1} of a rank-{c.Rank} input), found axis {o.Axis} ({axis})");
        int i = 0;
        var w = c.Weights;
        var gamma = o.Scale ? w[i++] : null;
        var beta = o.Center ? w[i++] : null;
        return (gamma, beta, w[i..]);
    }

    private static (float[] Scale, float[] Shift) Fold(float[]? gamma, float[]? beta, float[] mean, float[] variance, double epsilon, float unit)
    {
        var a = new float[mean.Length];
        var b = new float[mean.Length];
        for (int k = 0; k < a.Length; k++)
        {
            a[k] = (float)((gamma?[k] ?? unit) / Math.Sqrt(variance[k] + epsilon));
            b[k] = (beta?[k] ?? 0f) - mean[k] * a[k];
        }
        return (a, b);
    }

    private static (string Mean, string Variance) Instance(OnnxLayerContext c)
    {
        if (c.Rank < 3) throw c.Unsupported("instance statistics need spatial axes (rank ≥ 3)");
        var axes = Enumerable.Range(1, c.Rank - 2).ToArray();
        var mean = OnnxReduce.Mean(c, c.X, axes, keepDims: true);
        var centered = c.Op("Sub", new[] { c.X, mean });
        return (mean, OnnxReduce.Mean(c, c.Op("Mul", new[] { centered, centered }), axes, keepDims: true));
    }

    private static string Normalized(OnnxLayerContext c, string x, string mean, string variance, double epsilon, string tag)
        => c.Op("Div", new[] { c.Op("Sub", new[] { x, mean }), c.Op("Sqrt", c.Op("Add", new[] { variance, c.Scalar(tag, epsilon) })) });

    private static float[] Softmax(float[] v)
    {
        double max = v.Max();
        var e = v.Select(x => Math.Exp(x - max)).ToArray();
        double sum = e.Sum();
        return e.Select(x => (float)(x / sum)).ToArray();
    }
}
