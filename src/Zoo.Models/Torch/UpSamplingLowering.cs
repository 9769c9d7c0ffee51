using Zoo.Formats.Layers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>UpSampling1D/2D/3D</c>: nearest repeats each cell; bilinear uses half-pixel centres without corner
/// alignment (tf.image.resize in TF 2, which Keras 2.4+ and 3 call).
/// </summary>
public sealed class UpSamplingLowering(UpSamplingSpec spec) : UnaryLayer(spec)
{
    private readonly UpSamplingSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        int first = s.DataFormat == DataFormat.ChannelsLast ? 1 : 2;
        if (s.Interpolation == Interpolation.Nearest)
        {
            for (int i = 0; i < s.Rank; i++) x = x.repeat_interleave(s.Size[i], first + i);
            return x;
        }
        if (s.Rank != 2)
            throw new Zoo.Formats.UnsupportedFeatureException($"layer '{Name}' ({s.ClassName}): bilinear upsampling is 2-D only");
        var cf = Layouts.ToChannelsFirst(x, s.DataFormat);
        var size = new[] { cf.shape[2] * s.Size[0], cf.shape[3] * s.Size[1] };
        var y = F.interpolate(cf, size, mode: InterpolationMode.Bilinear, align_corners: false);
        return Layouts.FromChannelsFirst(y, s.DataFormat);
    }
}
