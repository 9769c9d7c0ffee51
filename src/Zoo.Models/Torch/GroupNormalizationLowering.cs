using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>GroupNormalization</c>: channels moved to axis 1 and split (N, G, C/G, rest…); mean and biased
/// variance over everything but N and G; then γ and β per channel.
/// </summary>
public sealed class GroupNormalizationLowering(GroupNormalizationSpec spec) : UnaryLayer(spec)
{
    private readonly GroupNormalizationSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        int rank = (int)x.dim();
        long ch = s.Channels(x.shape);
        int axis = AxisList.Normalize(s.Axis, rank);
        var cf = x.movedim(new long[] { axis }, new long[] { 1 });
        var grouped = cf.reshape(cf.shape[0], s.GroupsFor(x.shape), -1);
        var mean = grouped.mean(new long[] { 2 }, true);
        var centered = grouped - mean;
        var y = (centered * (centered * centered).mean(new long[] { 2 }, true).add(s.Epsilon).rsqrt()).reshape(cf.shape);
        var perChannel = new[] { 1L, ch }.Concat(Enumerable.Repeat(1L, rank - 2)).ToArray();
        if (Param("gamma") is { } g) y = y * g.reshape(perChannel);
        if (Param("beta") is { } b) y = y + b.reshape(perChannel);
        return y.movedim(new long[] { 1 }, new long[] { axis });
    }
}
