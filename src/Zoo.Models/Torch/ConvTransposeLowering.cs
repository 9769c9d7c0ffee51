using Zoo.Formats.Layers;
using Zoo.Models.Binding;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>Conv1D/2D/3DTranspose</c> with TensorFlow's geometry: torch's unpadded transposed convolution gives the
/// full output ((in − 1)·s + k′ per axis); TF then keeps Keras's output length starting at the "before" half
/// of the forward convolution's same-padding, zero-filling past the end (valid with k′ &lt; s, output_padding).
/// Conv1DTranspose runs as height-1 2-D.
/// </summary>
public sealed class ConvTransposeLowering(ConvTransposeSpec spec) : UnaryLayer(spec)
{
    private readonly ConvTransposeSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        var cf = Layouts.ToChannelsFirst(x, s.DataFormat);
        var inSizes = cf.shape.Skip(2).ToArray();
        var w = Param("kernel")!;
        int[] st = s.Strides, d = s.Dilation;
        Tensor full;
        if (s.Rank == 1)
        {
            full = F.conv_transpose2d(cf.unsqueeze(2), w.unsqueeze(2), null, strides: new long[] { 1, st[0] },
                dilation: new long[] { 1, d[0] }).squeeze(2);
        }
        else if (s.Rank == 2) full = F.conv_transpose2d(cf, w, null, strides: st.L(), dilation: d.L());
        else full = F.conv_transpose3d(cf, w, null, strides: st.L(), dilation: d.L());
        var y = CropToKerasLength(full, inSizes);
        if (Param("bias") is { } b)
            y = y + b.reshape(new[] { 1L, b.shape[0] }.Concat(Enumerable.Repeat(1L, s.Rank)).ToArray());
        return ActivationFunctions.Apply(s.Activation, Layouts.FromChannelsFirst(y, s.DataFormat));
    }

    private Tensor CropToKerasLength(Tensor full, long[] inSizes)
    {
        var pads = new long[2 * s.Rank];
        bool any = false;
        for (int i = 0; i < s.Rank; i++)
        {
            long have = full.shape[2 + i], want = s.OutputLength(i, inSizes[i]), before = s.CropBefore(i, inSizes[i]);
            // torch's pad list runs from the last axis backwards; negative pads crop.
            pads[2 * (s.Rank - 1 - i)] = -before;
            pads[2 * (s.Rank - 1 - i) + 1] = want - (have - before);
            any |= before != 0 || want != have - before;
        }
        return any ? F.pad(full, pads) : full;
    }

    /// <inheritdoc/>
    internal override TorchWeightLayout TorchLayoutOf(int index) => index == 0 ? TorchWeightLayout.ConvKernel : TorchWeightLayout.Keras;

    /// <inheritdoc/>
    protected override Tensor ToTorch(int index, Tensor keras) => index == 0 ? KerasTorchLayout.ConvToTorch(keras) : keras;

    /// <inheritdoc/>
    protected override Tensor ToKeras(int index, Tensor t) => index == 0 ? KerasTorchLayout.ConvToKeras(t) : t;
}
