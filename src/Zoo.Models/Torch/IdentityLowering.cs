using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>Dropout family, noise layers, ActivityRegularization: the identity at inference, as in Keras.</summary>
public sealed class IdentityLowering(IdentitySpec spec) : UnaryLayer(spec)
{
    /// <inheritdoc/>
    /// <remarks>Keras marks this layer supports_masking: the mask flows on unchanged.</remarks>
    public override MaskBehavior Masking => MaskBehavior.PassesThrough;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => x;

    /// <inheritdoc/>
    /// <remarks>Element-wise: the same values in any layout.</remarks>
    public override LayoutAffinity Affinity => LayoutAffinity.Either;

    /// <inheritdoc/>
    public override Tensor ForwardChannelsFirst(Tensor cf) => Forward(cf);
}
