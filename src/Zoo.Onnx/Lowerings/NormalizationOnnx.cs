using Zoo.Formats.Ir;
using Zoo.Formats.Layers;

namespace Zoo.Onnx.Lowerings;

/// <summary>
/// BatchNormalization as inference-time Mul/Add with per-channel constants (works on any axis without a
/// transpose), and LayerNormalization as ONNX LayerNormalization (or ReduceMean arithmetic for RMS scaling
/// and axes that are not a trailing run).
/// </summary>
internal static class NormalizationOnnx
{
    /// <summary><c>BatchNormalization</c>: y = x·scale + shift, scale = γ/√(var+ε), shift = β − mean·scale.</summary>
    public static IReadOnlyList<string> BatchNorm(OnnxLayerContext c)
    {
        var s = (BatchNormalizationSpec)c.Spec;
        int rank = c.Rank;
        int axis = AxisList.Normalize(s.Axis, rank);
        long ch = c.WeightSpecs[0].Shape[0];
        var (scale, shift) = ScaleShift(c.Weights, s, ch);
        var dims = new[] { ch }.Concat(Enumerable.Repeat(1L, rank - 1 - axis)).ToArray();
        var y = c.Op("Mul", new[] { c.X, c.Init("scale", dims, scale) });
        return new[] { c.Op("Add", new[] { y, c.Init("shift", dims, shift) }) };
    }

    /// <summary>The folded scale and shift of a BatchNormalization over <paramref name="channels"/> channels (channels last).</summary>
    public static (float[] Scale, float[] Shift) ScaleShift(LayerNode node, BatchNormalizationSpec spec, long channels, string? backend)
    {
        // Any shape whose BN axis holds the channels will do: the weights depend on nothing else.
        var shape = Enumerable.Repeat(1L, Math.Max(2, spec.Axis + 1)).ToArray();
        shape[spec.Axis < 0 ? shape.Length + spec.Axis : spec.Axis] = channels;
        var weights = OnnxWeights.Bind(node, spec.Weights(new[] { shape }), backend);
        return ScaleShift(weights, spec, channels);
    }

    private static (float[] Scale, float[] Shift) ScaleShift(float[][] w, BatchNormalizationSpec s, long ch)
    {
        int i = 0;
        var gamma = s.Scale ? w[i++] : null;
        var beta = s.Center ? w[i++] : null;
        var mean = w[i++];
        var variance = w[i];
        var scale = new float[ch];
        var shift = new float[ch];
        for (long k = 0; k < ch; k++)
        {
            double sc = (gamma?[k] ?? 1.0) / Math.Sqrt(variance[k] + s.Epsilon);
            scale[k] = (float)sc;
            shift[k] = (float)((beta?[k] ?? 0.0) - mean[k] * sc);
        }
        return (scale, shift);
    }

    /// <summary><c>LayerNormalization</c> over its axes (Keras 3 rms_scaling included).</summary>
    public static IReadOnlyList<string> LayerNorm(OnnxLayerContext c)
    {
        var s = (LayerNormalizationSpec)c.Spec;
        int rank = c.Rank;
        var axes = s.Axes.Select(a => AxisList.Normalize(a, rank)).OrderBy(a => a).ToArray();
        int wi = 0;
        var gamma = s.Scale ? c.Weights[wi++] : null;
        var beta = s.Center && !s.RmsScaling ? c.Weights[wi] : null;
        var normDims = axes.Select(a => c.XShape![a] ?? throw c.Unsupported("normalized axes need known sizes")).ToArray();
        long count = normDims.Aggregate(1L, (a, b) => a * b);
        bool suffix = axes.SequenceEqual(Enumerable.Range(axes[0], rank - axes[0]));
        if (suffix && !s.RmsScaling)
        {
            var inputs = new List<string> { c.X, c.Init("gamma", normDims, gamma ?? Enumerable.Repeat(1f, (int)count).ToArray()) };
            if (beta is not null) inputs.Add(c.Init("beta", normDims, beta));
            return new[] { c.Op("LayerNormalization", inputs, ("axis", axes[0]), ("epsilon", (float)s.Epsilon)) };
        }
        var bdims = Enumerable.Range(1, rank - 1).Select(i => axes.Contains(i) ? c.XShape![i]!.Value : 1L).ToArray();
        var eps = c.Scalar("epsilon", s.Epsilon);
        string y;
        if (s.RmsScaling)
        {
            var ms = OnnxReduce.Mean(c, c.Op("Mul", new[] { c.X, c.X }), axes, keepDims: true);
            y = c.Op("Div", new[] { c.X, c.Op("Sqrt", c.Op("Add", new[] { ms, eps })) });
        }
        else
        {
            var d = c.Op("Sub", new[] { c.X, OnnxReduce.Mean(c, c.X, axes, keepDims: true) });
            var v = OnnxReduce.Mean(c, c.Op("Mul", new[] { d, d }), axes, keepDims: true);
            y = c.Op("Div", new[] { d, c.Op("Sqrt", c.Op("Add", new[] { v, eps })) });
        }
        if (gamma is not null) y = c.Op("Mul", new[] { y, c.Init("gamma", bdims, gamma) });
        if (beta is not null) y = c.Op("Add", new[] { y, c.Init("beta", bdims, beta) });
        return new[] { y };
    }

    /// <summary><c>UnitNormalization</c>: x / max(‖x‖₂, ε) over its axes, ε = 1e-12 as Keras's l2_normalize.</summary>
    public static IReadOnlyList<string> UnitNorm(OnnxLayerContext c)
    {
        var s = (UnitNormalizationSpec)c.Spec;
        var axes = s.Axes.Select(a => AxisList.Normalize(a, c.Rank)).ToArray();
        var sq = OnnxReduce.Sum(c, c.Op("Mul", new[] { c.X, c.X }), axes, keepDims: true);
        var norm = c.Op("Sqrt", c.Op("Max", new[] { sq, c.Scalar("epsilon", 1e-12) }));
        return new[] { c.Op("Div", new[] { c.X, norm }) };
    }

    /// <summary><c>Normalization</c> (preprocessing): (x − mean)/max(√var, 1e-7), or its inverse, with constants folded at export.</summary>
    public static IReadOnlyList<string> Preprocessing(OnnxLayerContext c)
    {
        var s = (NormalizationSpec)c.Spec;
        var bshape = s.BroadcastShape(OnnxLayerContext.ConcreteShape(c.XShape));
        bshape[0] = 1;
        long n = bshape.Aggregate(1L, (a, b) => a * b);
        double[] mean, variance;
        if (s.Mean is not null) (mean, variance) = (s.Mean, s.Variance!);
        else
        {
            // Only mean and variance are bound: Keras stores count as int64, which no float array can hold.
            var w = OnnxWeights.Bind(c.Node, c.WeightSpecs.Where(spec => spec.Name != "count").ToArray(), c.Backend);
            (mean, variance) = (w[0].Select(v => (double)v).ToArray(), w[1].Select(v => (double)v).ToArray());
        }
        if (mean.Length != 1 && mean.Length != n) throw c.Unsupported($"mean has {mean.Length} values, the kept axes need {n}");
        var dims = mean.Length == 1 ? Array.Empty<long>() : bshape;
        var m = c.Init("mean", dims, mean.Select(v => (float)v).ToArray());
        var std = c.Init("std", dims, variance.Select(v => (float)Math.Max(Math.Sqrt(v), NormalizationSpec.StdFloor)).ToArray());
        return new[] { s.Invert ? c.Op("Add", new[] { m, c.Op("Mul", new[] { c.X, std }) }) : c.Op("Div", new[] { c.Op("Sub", new[] { c.X, m }), std }) };
    }
}
