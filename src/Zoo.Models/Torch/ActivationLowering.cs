using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>Activation</c>.</summary>
public sealed class ActivationLowering(ActivationSpec spec) : UnaryLayer(spec)
{
    /// <inheritdoc/>
    /// <remarks>Keras marks this layer supports_masking: the mask flows on unchanged.</remarks>
    public override MaskBehavior Masking => MaskBehavior.PassesThrough;

    private readonly ActivationSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => ActivationFunctions.Apply(s.Activation, x);

    /// <inheritdoc/>
    /// <remarks>Element-wise activations run in either layout; softmax and log-softmax act along Keras's last axis.</remarks>
    public override LayoutAffinity Affinity => ActivationFunctions.IsElementwise(s.Activation) ? LayoutAffinity.Either : LayoutAffinity.Keras;

    /// <inheritdoc/>
    public override Tensor ForwardChannelsFirst(Tensor cf) => ActivationFunctions.ApplyChannelsFirst(s.Activation, cf);
}
