using Zoo.Formats.Layers;

namespace Zoo.Onnx.Lowerings;

/// <summary>
/// <c>Zoo&gt;CosineNormalization</c>: the wrapped layer's linear output divided by |w|·|x| + ε, with the weight norms
/// (bias-extended) computed here and the input norms in the graph — ReduceSum of x² for Dense, the same
/// convolution with an all-ones single-filter kernel on x² for convolutions — then the inner activation.
/// </summary>
internal static class CosineNormalizationOnnx
{
    /// <summary><c>Zoo&gt;CosineNormalization</c> around Dense or a convolution.</summary>
    public static IReadOnlyList<string> Cosine(OnnxLayerContext c)
    {
        var s = (CosineNormalizationSpec)c.Spec;
        var w = c.Weights;
        var kernel = w[0];
        float[]? bias = s.HasBias ? w[1] : null;
        long units = c.WeightSpecs[0].Shape[^1];
        var norms = new float[units];
        for (long u = 0; u < units; u++)
        {
            double sq = bias is null ? 0 : (double)bias[u] * bias[u];
            for (long i = u; i < kernel.Length; i += units) sq += (double)kernel[i] * kernel[i];
            norms[u] = (float)Math.Sqrt(sq);
        }
        var x2 = c.Op("Mul", new[] { c.X, c.X });
        string dot, inputSq;
        KerasActivation activation;
        switch (s.Inner)
        {
            case DenseSpec d:
                dot = OnnxLowerings.Lower(c.Inner(d with { Activation = KerasActivation.Linear }, c.Scope, c.Inputs, c.InputShapes, w))[0];
                inputSq = OnnxReduce.Sum(c, x2, [c.Rank - 1], keepDims: true);
                activation = d.Activation;
                break;
            case ConvSpec cv when cv.Groups == 1 && cv.DataFormat == DataFormat.ChannelsLast:
                dot = OnnxLowerings.Lower(c.Inner(cv with { Activation = KerasActivation.Linear }, c.Scope, c.Inputs, c.InputShapes, w))[0];
                var ones = Enumerable.Repeat(1f, kernel.Length / (int)units).ToArray();
                var patch = cv with { Name = cv.Name + "_patch_norm", Filters = 1, UseBias = false, Activation = KerasActivation.Linear };
                inputSq = OnnxLowerings.Lower(c.Inner(patch, c.Scope + "/patch", new[] { x2 }, c.InputShapes, new[] { ones }))[0];
                activation = cv.Activation;
                break;
            default:
                throw c.Unsupported("only Dense and channels-last, ungrouped convolutions are exported");
        }
        if (bias is not null) inputSq = c.Op("Add", new[] { inputSq, c.Scalar("one", 1.0) });
        var denominator = c.Op("Add", new[] { c.Op("Mul", new[] { c.Op("Sqrt", inputSq), c.Init("weight_norm", [units], norms) }), c.Scalar("epsilon", s.Epsilon) });
        return new[] { ActivationOnnx.Apply(c, c.Op("Div", new[] { dot, denominator }), activation) };
    }
}
