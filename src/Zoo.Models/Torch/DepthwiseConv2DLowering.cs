using Zoo.Formats.Layers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Zoo.Models.Torch;

/// <summary><c>DepthwiseConv2D</c>: a grouped convolution with groups = input channels, padded the TF way.</summary>
public sealed class DepthwiseConv2DLowering(DepthwiseConv2DSpec spec) : UnaryLayer(spec)
{
    private readonly DepthwiseConv2DSpec s = spec;
    private long inChannels;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        var cf = Layouts.PadSpatial(Layouts.ToChannelsFirst(x, s.DataFormat), s.Padding, s.KernelSize, s.Strides, s.Dilation);
        var y = F.conv2d(cf, Param("depthwise_kernel")!, Param("bias"), strides: s.Strides.L(), padding: new long[] { 0, 0 },
            dilation: s.Dilation.L(), groups: inChannels);
        return ActivationFunctions.Apply(s.Activation, Layouts.FromChannelsFirst(y, s.DataFormat));
    }

    /// <inheritdoc/>
    protected override Tensor ToTorch(int index, Tensor keras)
    {
        if (index != 0) return keras;
        inChannels = keras.shape[2];
        return KerasTorchLayout.DepthwiseToTorch(keras);
    }

    /// <inheritdoc/>
    protected override Tensor ToKeras(int index, Tensor t) => index == 0 ? KerasTorchLayout.DepthwiseToKeras(t, inChannels) : t;
}
