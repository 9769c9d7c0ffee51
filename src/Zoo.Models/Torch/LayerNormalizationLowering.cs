using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>LayerNormalization</c>: mean and biased variance over the configured axes, then γ and β broadcast
/// on those axes; with <c>rms_scaling</c>, x/√(mean(x²) + ε)·γ.
/// </summary>
public sealed class LayerNormalizationLowering(LayerNormalizationSpec spec) : UnaryLayer(spec)
{
    /// <inheritdoc/>
    /// <remarks>Keras marks this layer supports_masking: the mask flows on unchanged.</remarks>
    public override MaskBehavior Masking => MaskBehavior.PassesThrough;

    private readonly LayerNormalizationSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        int n = (int)x.dim();
        var axes = s.Axes.Select(a => (long)AxisList.Normalize(a, n)).ToArray();
        var shape = Enumerable.Repeat(1L, n).ToArray();
        foreach (var a in axes) shape[a] = x.shape[a];
        Tensor y;
        if (s.RmsScaling)
            y = x * ((x * x).mean(axes, true) + s.Epsilon).rsqrt();
        else
        {
            var mean = x.mean(axes, true);
            var centered = x - mean;
            y = centered * ((centered * centered).mean(axes, true) + s.Epsilon).rsqrt();
        }
        if (Param("gamma") is { } g) y = y * g.reshape(shape);
        if (Param("beta") is { } b) y = y + b.reshape(shape);
        return y;
    }
}
