using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>Global max/average pooling over every spatial axis, keeping them as size 1 when <c>keepdims</c>.</summary>
public sealed class GlobalPoolingLowering(GlobalPoolingSpec spec) : UnaryLayer(spec)
{
    private readonly GlobalPoolingSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        int first = s.DataFormat == DataFormat.ChannelsLast ? 1 : 2;
        var axes = Enumerable.Range(first, (int)x.dim() - 2).Select(i => (long)i).ToArray();
        return s.Kind == PoolKind.Max ? x.amax(axes, s.KeepDims) : x.mean(axes, s.KeepDims);
    }
}
