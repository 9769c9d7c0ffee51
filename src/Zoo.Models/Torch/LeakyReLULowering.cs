using Zoo.Formats.Layers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Zoo.Models.Torch;

/// <summary><c>LeakyReLU</c>.</summary>
public sealed class LeakyReLULowering(LeakyReLUSpec spec) : UnaryLayer(spec)
{
    /// <inheritdoc/>
    /// <remarks>Keras marks this layer supports_masking: the mask flows on unchanged.</remarks>
    public override MaskBehavior Masking => MaskBehavior.PassesThrough;

    private readonly LeakyReLUSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => F.leaky_relu(x, s.Slope);

    /// <inheritdoc/>
    /// <remarks>Element-wise: the same values in any layout.</remarks>
    public override LayoutAffinity Affinity => LayoutAffinity.Either;

    /// <inheritdoc/>
    public override Tensor ForwardChannelsFirst(Tensor cf) => Forward(cf);
}
