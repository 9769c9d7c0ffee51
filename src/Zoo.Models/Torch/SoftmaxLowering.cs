using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>Softmax</c> layer on its axis.</summary>
public sealed class SoftmaxLowering(SoftmaxSpec spec) : UnaryLayer(spec)
{
    /// <inheritdoc/>
    /// <remarks>Keras adds a large negative number where the mask is false before the softmax; not reproduced.</remarks>
    public override MaskBehavior Masking => MaskBehavior.Refuses;

    private readonly SoftmaxSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => x.softmax(s.Axis);
}
