using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>Permute</c>: Keras's 1-based dims are torch dims with the batch axis kept first.</summary>
public sealed class PermuteLowering(PermuteSpec spec) : UnaryLayer(spec)
{
    private readonly PermuteSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => x.permute(new long[] { 0 }.Concat(s.Dims.Select(d => (long)d)).ToArray());
}
