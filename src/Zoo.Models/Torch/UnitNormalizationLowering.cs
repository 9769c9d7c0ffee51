using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>UnitNormalization</c>: L2 normalization with TF's 1e-12 floor on the squared norm.</summary>
public sealed class UnitNormalizationLowering(UnitNormalizationSpec spec) : UnaryLayer(spec)
{
    private readonly UnitNormalizationSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        var axes = s.Axes.Select(a => (long)AxisList.Normalize(a, (int)x.dim())).ToArray();
        return x * (x * x).sum(axes, true).clamp_min(1e-12).rsqrt();
    }
}
