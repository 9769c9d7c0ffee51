using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>RepeatVector</c>: (N, d) → (N, n, d).</summary>
public sealed class RepeatVectorLowering(RepeatVectorSpec spec) : UnaryLayer(spec)
{
    private readonly RepeatVectorSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => x.unsqueeze(1).expand(x.shape[0], s.N, x.shape[1]);
}
