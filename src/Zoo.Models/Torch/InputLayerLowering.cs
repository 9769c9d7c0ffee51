using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>InputLayer</c>: passes the model input through.</summary>
public sealed class InputLayerLowering(InputLayerSpec spec) : UnaryLayer(spec)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => x;
}
