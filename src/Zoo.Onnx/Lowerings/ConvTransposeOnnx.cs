using Zoo.Formats.Layers;

namespace Zoo.Onnx.Lowerings;

/// <summary>
/// Conv1D/2D/3DTranspose and Keras 1 Deconvolution2D as ONNX ConvTranspose with TensorFlow's output geometry:
/// the full transposed output ((in − 1)·s + k′ per axis) is cropped by explicit pads (the "before" half of
/// the forward convolution's same-padding, and whatever lies past Keras's length), and where Keras's length
/// runs past the full output (valid with k′ &lt; s, output_padding) the extra cells are zero-filled by a Pad
/// before the bias is added, exactly as TensorFlow's gradient-of-convolution leaves them.
/// </summary>
internal static class ConvTransposeOnnx
{
    /// <summary>Any transposed convolution.</summary>
    public static IReadOnlyList<string> ConvTranspose(OnnxLayerContext c)
    {
        var s = (ConvTransposeSpec)c.Spec;
        // Keras (k…, filters, in) → ONNX ConvTranspose (in, filters, k…): the same permutation as a forward kernel.
        var kernel = OnnxLayout.KernelToOnnx(c.Weights[0], c.WeightSpecs[0].Shape, out var dims);
        var bias = s.UseBias ? c.Weights[1] : null;
        var (cropBegin, cropEnd, fill) = Geometry(c, s);
        bool needsFill = fill.Any(f => f > 0);
        var inputs = new List<string> { c.X, c.Init("kernel", dims, kernel) };
        string? biasName = bias is null ? null : c.Init("bias", needsFill ? BiasDims(s) : new[] { (long)s.Filters }, bias);
        if (biasName is not null && !needsFill) inputs.Add(biasName);
        var y = ConvOnnx.ChannelsFirst(c, s.Rank, s.DataFormat, x =>
        {
            inputs[0] = x;
            var t = c.Op("ConvTranspose", inputs, ("kernel_shape", s.KernelSize), ("strides", s.Strides), ("dilations", s.Dilation),
                ("group", 1), ("pads", cropBegin.Concat(cropEnd).ToArray()));
            if (!needsFill) return t;
            var pads = new long[2 + s.Rank].Concat(new long[] { 0, 0 }).Concat(fill).ToArray();
            t = c.Op("Pad", new[] { t, c.Ints("fill", pads) }, ("mode", "constant"));
            return biasName is null ? t : c.Op("Add", new[] { t, biasName });
        });
        return new[] { ActivationOnnx.Apply(c, y, s.Activation) };
    }

    // Per spatial axis: cells cropped at the start, cropped at the end, and zero cells appended at the end.
    // Keras's rules make these independent of the input length (except Deconvolution2D's stated output size),
    // so an unknown length is evaluated at 1.
    private static (long[] Begin, long[] End, long[] Fill) Geometry(OnnxLayerContext c, ConvTransposeSpec s)
    {
        var spatial = OnnxLayout.Spatial(c.XShape, s.Rank, s.DataFormat);
        var begin = new long[s.Rank];
        var end = new long[s.Rank];
        var fill = new long[s.Rank];
        for (int i = 0; i < s.Rank; i++)
        {
            if (spatial[i] is null && s.OutputSize is not null)
                throw c.Unsupported($"Deconvolution2D states output_shape, which needs known input sizes; spatial axis {i} is unknown");
            long input = spatial[i] ?? 1;
            long k = (long)(s.KernelSize[i] - 1) * s.Dilation[i] + 1;
            long full = (input - 1) * s.Strides[i] + k;
            long want = s.OutputLength(i, input);
            begin[i] = s.CropBefore(i, input);
            long rest = full - begin[i] - want;
            if (rest >= 0) end[i] = rest;
            else fill[i] = -rest;
        }
        return (begin, end, fill);
    }

    // Bias added after the zero-fill, channels first: (filters, 1, …).
    private static long[] BiasDims(ConvTransposeSpec s) => new[] { (long)s.Filters }.Concat(Enumerable.Repeat(1L, s.Rank)).ToArray();
}
