using Zoo.Formats.Layers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Zoo.Models.Torch;

/// <summary><c>ELU</c> layer with its α.</summary>
public sealed class ELULowering(ELUSpec spec) : UnaryLayer(spec)
{
    private readonly ELUSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => F.elu(x, s.Alpha);
}
