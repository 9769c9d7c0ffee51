using Zoo.Formats.Layers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Zoo.Models.Torch;

/// <summary><c>ZeroPadding1D/2D/3D</c>: zeros on the spatial axes of the Keras-layout tensor.</summary>
public sealed class ZeroPaddingLowering(ZeroPaddingSpec spec) : UnaryLayer(spec)
{
    private readonly ZeroPaddingSpec s = spec;

    /// <inheritdoc/>
    public override LayoutAffinity Affinity => s.DataFormat == DataFormat.ChannelsLast ? LayoutAffinity.ChannelsFirst : LayoutAffinity.Keras;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Pad(x, s.DataFormat == DataFormat.ChannelsLast ? 1 : 2);

    /// <inheritdoc/>
    /// <remarks>Padded on the Keras view (a permute), so the padded copy has the memory order the Keras-layout path gives it.</remarks>
    public override Tensor ForwardChannelsFirst(Tensor cf)
        => Layouts.ToChannelsFirst(Pad(Layouts.FromChannelsFirst(cf, DataFormat.ChannelsLast), 1), DataFormat.ChannelsLast);

    private Tensor Pad(Tensor x, int first)
    {
        int n = (int)x.dim();
        // torch's pad list covers axes from the last one backwards; non-spatial axes get zero.
        var pads = new long[2 * (n - 1)];
        for (int i = 0; i < s.Rank; i++)
        {
            int axis = first + i, slot = n - 1 - axis;
            pads[2 * slot] = s.Padding[i][0];
            pads[2 * slot + 1] = s.Padding[i][1];
        }
        return F.pad(x, pads);
    }
}
