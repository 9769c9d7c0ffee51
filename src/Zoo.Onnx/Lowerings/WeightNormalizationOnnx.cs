using Zoo.Formats.Layers;

namespace Zoo.Onnx.Lowerings;

/// <summary>
/// TFA <c>WeightNormalization</c>: the kernel g · v/‖v‖ is computed once at export (norm per output unit over
/// every kernel axis but the last, floor 1e-12 on the squared norm as tf.math.l2_normalize), then the wrapped
/// layer is exported with it. A layer that has not yet run its first-call initialization is refused: its
/// output would depend on the first batch it sees.
/// </summary>
internal static class WeightNormalizationOnnx
{
    /// <summary><c>Addons&gt;WeightNormalization</c> around Dense or a convolution.</summary>
    public static IReadOnlyList<string> WeightNorm(OnnxLayerContext c)
    {
        var s = (WeightNormalizationSpec)c.Spec;
        var flag = c.Node.Weights.FirstOrDefault(w => w.ShortName == "initialized");
        if (flag is not null && flag.Data.All(b => b == 0))
            throw c.Unsupported("its 'initialized' flag is false, so TFA would still initialize g (and bias) from the first batch");
        var specs = c.WeightSpecs.Where(w => w.Name != "initialized").ToArray();
        var w = OnnxWeights.Bind(c.Node, specs, c.Backend);
        var g = w[0];
        var v = w[1];
        long units = g.Length;
        var kernel = new float[v.Length];
        for (long u = 0; u < units; u++)
        {
            double sq = 0;
            for (long i = u; i < v.Length; i += units) sq += (double)v[i] * v[i];
            double factor = g[u] / Math.Sqrt(Math.Max(sq, 1e-12));
            for (long i = u; i < v.Length; i += units) kernel[i] = (float)(v[i] * factor);
        }
        var inner = s.HasBias ? new[] { kernel, w[2] } : new[] { kernel };
        return OnnxLowerings.Lower(c.Inner(s.Inner, c.Scope, c.Inputs, c.InputShapes, inner));
    }
}
