using Zoo.Formats.Layers;
using Zoo.Models.Binding;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Zoo.Models.Torch;

/// <summary><c>Dense</c> on the last axis of any rank; kernel kept as torch (out, in).</summary>
public sealed class DenseLowering(DenseSpec spec) : UnaryLayer(spec)
{
    /// <inheritdoc/>
    /// <remarks>Keras marks this layer supports_masking: the mask flows on unchanged.</remarks>
    public override MaskBehavior Masking => MaskBehavior.PassesThrough;

    private readonly DenseSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
        => ActivationFunctions.Apply(s.Activation, F.linear(x, Param("kernel")!, Param("bias")));

    /// <inheritdoc/>
    internal override TorchWeightLayout TorchLayoutOf(int index) => index == 0 ? TorchWeightLayout.DenseKernel : TorchWeightLayout.Keras;

    /// <inheritdoc/>
    protected override Tensor ToTorch(int index, Tensor keras) => index == 0 ? KerasTorchLayout.DenseToTorch(keras) : keras;

    /// <inheritdoc/>
    protected override Tensor ToKeras(int index, Tensor t) => index == 0 ? KerasTorchLayout.DenseToKeras(t) : t;
}
