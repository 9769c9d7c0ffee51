using Zoo.Formats.Layers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Zoo.Models.Torch;

/// <summary><c>ELU</c> layer with its α.</summary>
public sealed class ELULowering(ELUSpec spec) : UnaryLayer(spec)
{
    /// <inheritdoc/>
    /// <remarks>Keras marks this layer supports_masking: the mask flows on unchanged.</remarks>
    public override MaskBehavior Masking => MaskBehavior.PassesThrough;

    private readonly ELUSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => F.elu(x, s.Alpha);

    /// <inheritdoc/>
    /// <remarks>Element-wise: the same values in any layout.</remarks>
    public override LayoutAffinity Affinity => LayoutAffinity.Either;

    /// <inheritdoc/>
    public override Tensor ForwardChannelsFirst(Tensor cf) => Forward(cf);
}
