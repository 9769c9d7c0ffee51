using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>ReLU</c> with Keras's max_value, negative_slope and threshold.</summary>
public sealed class ReLULowering(ReLUSpec spec) : UnaryLayer(spec)
{
    /// <inheritdoc/>
    /// <remarks>Keras marks this layer supports_masking: the mask flows on unchanged.</remarks>
    public override MaskBehavior Masking => MaskBehavior.PassesThrough;

    private readonly ReLUSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        var y = s.NegativeSlope == 0 && s.Threshold == 0 ? x.relu()
            : where(x > s.Threshold, x, (x - s.Threshold) * s.NegativeSlope);
        return s.MaxValue is double m ? y.clamp_max(m) : y;
    }

    /// <inheritdoc/>
    /// <remarks>Element-wise: the same values in any layout.</remarks>
    public override LayoutAffinity Affinity => LayoutAffinity.Either;

    /// <inheritdoc/>
    public override Tensor ForwardChannelsFirst(Tensor cf) => Forward(cf);
}
