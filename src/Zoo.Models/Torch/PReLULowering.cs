using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>PReLU</c>: relu(x) − α·relu(−x), α broadcast over the batch (and shared axes).</summary>
public sealed class PReLULowering(PReLUSpec spec) : UnaryLayer(spec)
{
    /// <inheritdoc/>
    /// <remarks>Keras marks this layer supports_masking: the mask flows on unchanged.</remarks>
    public override MaskBehavior Masking => MaskBehavior.PassesThrough;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => x.relu() - Param("alpha")!.unsqueeze(0) * (-x).relu();
}
