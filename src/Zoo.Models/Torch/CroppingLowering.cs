using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary><c>Cropping1D/2D/3D</c>: narrows each spatial axis.</summary>
public sealed class CroppingLowering(CroppingSpec spec) : UnaryLayer(spec)
{
    private readonly CroppingSpec s = spec;

    /// <inheritdoc/>
    public override LayoutAffinity Affinity => s.DataFormat == DataFormat.ChannelsLast ? LayoutAffinity.ChannelsFirst : LayoutAffinity.Keras;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Crop(x, s.DataFormat == DataFormat.ChannelsLast ? 1 : 2);

    /// <inheritdoc/>
    public override Tensor ForwardChannelsFirst(Tensor cf) => Crop(cf, 2);

    private Tensor Crop(Tensor x, int first)
    {
        for (int i = 0; i < s.Rank; i++)
        {
            long size = x.shape[first + i], keep = size - s.Cropping[i][0] - s.Cropping[i][1];
            if (keep <= 0)
                throw new Zoo.Formats.ModelFormatException($"layer '{Name}' (Cropping): cropping {s.Cropping[i][0]}+{s.Cropping[i][1]} leaves nothing of size {size}");
            x = x.narrow(first + i, s.Cropping[i][0], keep);
        }
        return x;
    }
}
