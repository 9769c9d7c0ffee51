using Zoo.Formats.Layers;
using Zoo.Models.Binding;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>Dense</c> on the last axis of any rank. The kernel stays in Keras's (in, out) layout: torch's linear
/// takes the transposed view for free (it multiplies by the transpose of what it is given), so binding is a
/// straight copy instead of a transpose of what is often the largest weight in the model (VGG16's fc1: 411 MB).
/// </summary>
public sealed class DenseLowering(DenseSpec spec) : UnaryLayer(spec)
{
    /// <inheritdoc/>
    /// <remarks>Keras marks this layer supports_masking: the mask flows on unchanged.</remarks>
    public override MaskBehavior Masking => MaskBehavior.PassesThrough;

    private readonly DenseSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
        => ActivationFunctions.Apply(s.Activation, F.linear(x, KerasTorchLayout.DenseToTorch(Param("kernel")!), Param("bias")));

    /// <inheritdoc/>
    internal override TorchWeightLayout TorchLayoutOf(int index) => TorchWeightLayout.Keras;

    /// <inheritdoc/>
    internal override bool KeepsStoredWeights => true;
}
