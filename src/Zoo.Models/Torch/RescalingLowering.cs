using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>Rescaling</c>: x·scale + offset.</summary>
public sealed class RescalingLowering(RescalingSpec spec) : UnaryLayer(spec)
{
    private readonly RescalingSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        using var scale = tensor(s.Scale.Select(v => (float)v).ToArray());
        using var offset = tensor(s.Offset.Select(v => (float)v).ToArray());
        return x * scale + offset;
    }
}
