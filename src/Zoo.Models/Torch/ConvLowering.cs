using Zoo.Formats.Layers;
using Zoo.Models.Binding;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>Conv1D</c>/<c>Conv2D</c>: pads explicitly the TF way (odd cell at bottom/right; causal at the start),
/// then a valid torch convolution. Conv1D runs as a 2-D convolution of height 1; Conv3D as torch's conv3d.
/// </summary>
public sealed class ConvLowering(ConvSpec spec) : UnaryLayer(spec)
{
    private readonly ConvSpec s = spec;

    /// <inheritdoc/>
    public override LayoutAffinity Affinity => s.DataFormat == DataFormat.ChannelsLast ? LayoutAffinity.ChannelsFirst : LayoutAffinity.Keras;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Convolve(s, x, Param("kernel")!, Param("bias"));

    /// <inheritdoc/>
    public override Tensor ForwardChannelsFirst(Tensor cf) => ConvolveChannelsFirst(s, cf, Param("kernel")!, Param("bias"));

    /// <summary>
    /// The convolution of <paramref name="spec"/> on Keras-layout <paramref name="x"/> with a torch-layout
    /// <paramref name="kernel"/> (OIHW) and <paramref name="bias"/>, activation included; wrappers that
    /// compute the kernel (weight and spectral normalization) call it with autograd on.
    /// </summary>
    public static Tensor Convolve(ConvSpec spec, Tensor x, Tensor kernel, Tensor? bias)
        => Layouts.FromChannelsFirst(ConvolveChannelsFirst(spec, Layouts.ToChannelsFirst(x, spec.DataFormat), kernel, bias), spec.DataFormat);

    /// <summary>As <see cref="Convolve"/> on torch-layout <paramref name="cf"/> (channels first), giving torch layout.</summary>
    public static Tensor ConvolveChannelsFirst(ConvSpec spec, Tensor cf, Tensor kernel, Tensor? bias)
    {
        var s = spec;
        int[] k = s.KernelSize, st = s.Strides, d = s.Dilation;
        if (s.Rank == 1) { cf = cf.unsqueeze(2); k = new[] { 1, k[0] }; st = new[] { 1, st[0] }; d = new[] { 1, d[0] }; }
        // Equal padding on both sides is left to the convolution (no padded copy of the input).
        var pads = Layouts.SymmetricPads(cf, s.Padding, k, st, d);
        if (pads is null) { cf = Layouts.PadSpatial(cf, s.Padding, k, st, d); pads = new long[k.Length]; }
        var w = kernel;
        if (s.Rank == 1) w = w.unsqueeze(2);
        var y = s.Rank == 3
            ? F.conv3d(cf, w, bias, strides: st.L(), padding: pads, dilation: d.L(), groups: s.Groups)
            : F.conv2d(cf, w, bias, strides: st.L(), padding: pads, dilation: d.L(), groups: s.Groups);
        if (s.Rank == 1) y = y.squeeze(2);
        return s.DataFormat == DataFormat.ChannelsLast ? ActivationFunctions.ApplyChannelsFirst(s.Activation, y) : ActivationFunctions.Apply(s.Activation, y);
    }

    /// <inheritdoc/>
    internal override TorchWeightLayout TorchLayoutOf(int index) => index == 0 ? TorchWeightLayout.ConvKernel : TorchWeightLayout.Keras;

    /// <inheritdoc/>
    protected override Tensor ToTorch(int index, Tensor keras) => index == 0 ? KerasTorchLayout.ConvToTorch(keras) : keras;

    /// <inheritdoc/>
    protected override Tensor ToKeras(int index, Tensor t) => index == 0 ? KerasTorchLayout.ConvToKeras(t) : t;
}
