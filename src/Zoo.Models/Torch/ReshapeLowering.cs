using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>Reshape</c> of the non-batch axes (row-major, as NumPy).</summary>
public sealed class ReshapeLowering(ReshapeSpec spec) : UnaryLayer(spec)
{
    private readonly ReshapeSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
        => x.reshape(new[] { x.shape[0] }.Concat(s.TargetShape.Select(d => (long)d)).ToArray());
}
