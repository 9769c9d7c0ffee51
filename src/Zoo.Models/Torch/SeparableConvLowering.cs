using Zoo.Formats.Layers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>SeparableConv1D/2D</c>: depthwise convolution (TF padding, strides, dilation), then a 1×1 pointwise
/// convolution with the bias. Rank 1 runs as height-1 2-D.
/// </summary>
public sealed class SeparableConvLowering(SeparableConvSpec spec) : UnaryLayer(spec)
{
    private readonly SeparableConvSpec s = spec;
    private long inChannels;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        var cf = Layouts.ToChannelsFirst(x, s.DataFormat);
        int[] k = s.KernelSize, st = s.Strides, d = s.Dilation;
        var dw = Param("depthwise_kernel")!;
        var pw = Param("pointwise_kernel")!;
        if (s.Rank == 1)
        {
            cf = cf.unsqueeze(2); k = new[] { 1, k[0] }; st = new[] { 1, st[0] }; d = new[] { 1, d[0] };
            dw = dw.unsqueeze(2); pw = pw.unsqueeze(2);
        }
        cf = Layouts.PadSpatial(cf, s.Padding, k, st, d);
        var y = F.conv2d(cf, dw, null, strides: st.L(), padding: new long[] { 0, 0 }, dilation: d.L(), groups: inChannels);
        y = F.conv2d(y, pw, Param("bias"));
        if (s.Rank == 1) y = y.squeeze(2);
        return ActivationFunctions.Apply(s.Activation, Layouts.FromChannelsFirst(y, s.DataFormat));
    }

    /// <inheritdoc/>
    protected override Tensor ToTorch(int index, Tensor keras)
    {
        if (index == 0) { inChannels = keras.shape[^2]; return KerasTorchLayout.DepthwiseToTorch(keras); }
        return index == 1 ? KerasTorchLayout.ConvToTorch(keras) : keras;
    }

    /// <inheritdoc/>
    protected override Tensor ToKeras(int index, Tensor t)
        => index == 0 ? KerasTorchLayout.DepthwiseToKeras(t, inChannels) : index == 1 ? KerasTorchLayout.ConvToKeras(t) : t;
}
