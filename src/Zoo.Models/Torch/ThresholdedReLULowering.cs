using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>ThresholdedReLU</c>: x where x &gt; θ, else 0.</summary>
public sealed class ThresholdedReLULowering(ThresholdedReLUSpec spec) : UnaryLayer(spec)
{
    /// <inheritdoc/>
    /// <remarks>Keras marks this layer supports_masking: the mask flows on unchanged.</remarks>
    public override MaskBehavior Masking => MaskBehavior.PassesThrough;

    private readonly ThresholdedReLUSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => x * (x > s.Theta).to_type(x.dtype);

    /// <inheritdoc/>
    /// <remarks>Element-wise: the same values in any layout.</remarks>
    public override LayoutAffinity Affinity => LayoutAffinity.Either;

    /// <inheritdoc/>
    public override Tensor ForwardChannelsFirst(Tensor cf) => Forward(cf);
}
