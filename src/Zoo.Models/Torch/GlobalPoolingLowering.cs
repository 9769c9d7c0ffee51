using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>Global max/average pooling over every spatial axis, keeping them as size 1 when <c>keepdims</c>.</summary>
public sealed class GlobalPoolingLowering(GlobalPoolingSpec spec) : UnaryLayer(spec)
{
    private readonly GlobalPoolingSpec s = spec;

    /// <inheritdoc/>
    public override LayoutAffinity Affinity => s.DataFormat == DataFormat.ChannelsLast ? LayoutAffinity.ChannelsFirst : LayoutAffinity.Keras;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Pool(x, s.DataFormat == DataFormat.ChannelsLast ? 1 : 2);

    /// <inheritdoc/>
    /// <remarks>Without keepdims the result is (N, C), the same in both layouts; with it, (N, C, 1…1) channels first.</remarks>
    public override Tensor ForwardChannelsFirst(Tensor cf) => Pool(cf, 2);

    private Tensor Pool(Tensor x, int first)
    {
        var axes = Enumerable.Range(first, (int)x.dim() - 2).Select(i => (long)i).ToArray();
        return s.Kind == PoolKind.Max ? x.amax(axes, s.KeepDims) : x.mean(axes, s.KeepDims);
    }

    /// <inheritdoc/>
    /// <remarks>GlobalAveragePooling1D averages only the unmasked steps, as Keras does; other global poolings drop the mask.</remarks>
    public override (Tensor[] Outputs, Tensor?[] Masks) Forward(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks)
    {
        var mask = masks.Count > 0 ? masks[0] : null;
        if (mask is null || s.Kind != PoolKind.Average || s.Rank != 1) return (Forward(inputs), new Tensor?[] { null });
        var x = Single(inputs);
        int steps = s.DataFormat == DataFormat.ChannelsLast ? 1 : 2;
        var weights = mask.to_type(x.dtype).unsqueeze(steps == 1 ? 2 : 1);
        var y = (x * weights).sum(new long[] { steps }, s.KeepDims) / weights.sum(new long[] { steps }, s.KeepDims);
        return (new[] { y }, new Tensor?[] { null });
    }
}
