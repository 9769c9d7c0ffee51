using Zoo.Formats.Layers;

namespace Zoo.Onnx.Lowerings;

/// <summary>
/// Keras 3 / TFA <c>SpectralNormalization</c> at inference is the wrapped layer on the stored kernel (the
/// division by σ happens to the variable itself during training), so the export is the inner layer's with
/// u left out.
/// </summary>
internal static class SpectralNormalizationOnnx
{
    /// <summary><c>SpectralNormalization</c> around Dense or a convolution.</summary>
    public static IReadOnlyList<string> SpectralNorm(OnnxLayerContext c)
    {
        var s = (SpectralNormalizationSpec)c.Spec;
        var inner = c.Weights[..^1];
        return OnnxLowerings.Lower(c.Inner(s.Inner, c.Scope, c.Inputs, c.InputShapes, inner));
    }
}
