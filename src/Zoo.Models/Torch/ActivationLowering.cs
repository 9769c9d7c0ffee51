using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>Activation</c>.</summary>
public sealed class ActivationLowering(ActivationSpec spec) : UnaryLayer(spec)
{
    private readonly ActivationSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => ActivationFunctions.Apply(s.Activation, x);
}
