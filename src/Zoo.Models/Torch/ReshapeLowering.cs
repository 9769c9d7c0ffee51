using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>Reshape</c> of the non-batch axes (row-major, as NumPy).</summary>
public sealed class ReshapeLowering(ReshapeSpec spec) : UnaryLayer(spec)
{
    private readonly ReshapeSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        var shape = x.shape;
        var target = new long[s.TargetShape.Length + 1];
        target[0] = shape[0];
        long known = 1, size = 1;
        int open = -1;
        for (int i = 1; i < shape.Length; i++) size *= shape[i];
        for (int i = 0; i < s.TargetShape.Length; i++)
        {
            target[i + 1] = s.TargetShape[i];
            if (s.TargetShape[i] == -1) open = i + 1; else known *= s.TargetShape[i];
        }
        // Resolving -1 from the sample size keeps an empty batch (used to build models) reshapable; torch
        // reports a size that does not divide.
        if (open > 0 && known > 0 && size % known == 0) target[open] = size / known;
        return x.reshape(target);
    }
}
