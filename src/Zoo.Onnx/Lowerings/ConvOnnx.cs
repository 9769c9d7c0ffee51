using Zoo.Formats.Layers;

namespace Zoo.Onnx.Lowerings;

/// <summary>
/// Conv1D/2D, DepthwiseConv2D and SeparableConv1D/2D: the Keras NHWC tensor is transposed to NCHW around the
/// ONNX Conv (ONNX Runtime's transpose optimizer cancels back-to-back pairs), kernels are permuted to
/// <c>[out, in, k…]</c>, and TF "same" padding is written as explicit pads. A folded BatchNormalization
/// scales the kernel and shifts the bias per output channel.
/// </summary>
internal static class ConvOnnx
{
    /// <summary><c>Conv1D</c>, <c>Conv2D</c> (and their Keras 1 names).</summary>
    public static IReadOnlyList<string> Conv(OnnxLayerContext c)
    {
        var s = (ConvSpec)c.Spec;
        var specs = c.WeightSpecs;
        var kernel = OnnxLayout.KernelToOnnx(c.Weights[0], specs[0].Shape, out var dims);
        var bias = s.UseBias ? c.Weights[1] : null;
        (kernel, bias) = Fold(c, kernel, dims, bias);
        var inputs = new List<string> { c.X, c.Init("kernel", dims, kernel) };
        if (bias is not null) inputs.Add(c.Init("bias", new[] { dims[0] }, bias));
        var y = ChannelsFirst(c, s.Rank, s.DataFormat, x =>
        {
            inputs[0] = x;
            return c.Op("Conv", inputs, ConvAttributes(c, s.Rank, s.DataFormat, s.Padding, s.KernelSize, s.Strides, s.Dilation, s.Groups));
        });
        return new[] { ActivationOnnx.Apply(c, y, s.Activation) };
    }

    /// <summary><c>DepthwiseConv2D</c>: a grouped Conv with one group per input channel.</summary>
    public static IReadOnlyList<string> Depthwise(OnnxLayerContext c)
    {
        var s = (DepthwiseConv2DSpec)c.Spec;
        var shape = c.WeightSpecs[0].Shape;
        var (kernel, dims) = DepthwiseKernel(c.Weights[0], shape);
        var bias = s.UseBias ? c.Weights[1] : null;
        (kernel, bias) = Fold(c, kernel, dims, bias);
        var inputs = new List<string> { c.X, c.Init("depthwise_kernel", dims, kernel) };
        if (bias is not null) inputs.Add(c.Init("bias", new[] { dims[0] }, bias));
        var y = ChannelsFirst(c, 2, s.DataFormat, x =>
        {
            inputs[0] = x;
            return c.Op("Conv", inputs, ConvAttributes(c, 2, s.DataFormat, s.Padding, s.KernelSize, s.Strides, s.Dilation, (int)shape[2]));
        });
        return new[] { ActivationOnnx.Apply(c, y, s.Activation) };
    }

    /// <summary><c>SeparableConv1D/2D</c>: a depthwise Conv then a 1×1 pointwise Conv carrying the bias.</summary>
    public static IReadOnlyList<string> Separable(OnnxLayerContext c)
    {
        var s = (SeparableConvSpec)c.Spec;
        var specs = c.WeightSpecs;
        var (dw, dwDims) = DepthwiseKernel(c.Weights[0], specs[0].Shape);
        var pw = OnnxLayout.KernelToOnnx(c.Weights[1], specs[1].Shape, out var pwDims);
        var bias = s.UseBias ? c.Weights[2] : null;
        (pw, bias) = Fold(c, pw, pwDims, bias);
        var dwName = c.Init("depthwise_kernel", dwDims, dw);
        var pwInputs = new List<string> { "", c.Init("pointwise_kernel", pwDims, pw) };
        if (bias is not null) pwInputs.Add(c.Init("bias", new[] { pwDims[0] }, bias));
        var ones = Enumerable.Repeat(1, s.Rank).ToArray();
        var y = ChannelsFirst(c, s.Rank, s.DataFormat, x =>
        {
            var d = c.Op("Conv", new[] { x, dwName },
                ConvAttributes(c, s.Rank, s.DataFormat, s.Padding, s.KernelSize, s.Strides, s.Dilation, (int)specs[0].Shape[^2]));
            pwInputs[0] = d;
            return c.Op("Conv", pwInputs, ("kernel_shape", ones), ("strides", ones), ("pads", new long[2 * s.Rank]));
        });
        return new[] { ActivationOnnx.Apply(c, y, s.Activation) };
    }

    /// <summary>Runs <paramref name="body"/> on the NCHW view of the input and returns the result in the layer's own layout.</summary>
    public static string ChannelsFirst(OnnxLayerContext c, int spatialRank, DataFormat format, Func<string, string> body)
    {
        if (format == DataFormat.ChannelsFirst) return body(c.X);
        int r = spatialRank + 2;
        var x = c.Op("Transpose", c.X, ("perm", OnnxLayout.ToChannelsFirst(r)));
        return c.Op("Transpose", body(x), ("perm", OnnxLayout.ToChannelsLast(r)));
    }

    /// <summary>kernel_shape, strides, dilations, group and pads (or auto_pad when "same" needs unknown sizes).</summary>
    public static (string, object)[] ConvAttributes(OnnxLayerContext c, int rank, DataFormat format, Padding padding,
        int[] kernel, int[] strides, int[] dilation, int group)
    {
        var attrs = new List<(string, object)> { ("kernel_shape", kernel), ("strides", strides), ("dilations", dilation), ("group", group) };
        var pads = OnnxLayout.Pads(padding, OnnxLayout.Spatial(c.XShape, rank, format), kernel, strides, dilation);
        attrs.Add(pads is null ? ("auto_pad", "SAME_UPPER") : ("pads", pads));
        return attrs.ToArray();
    }

    // Keras depthwise [k…, in, mult] → ONNX [in·mult, 1, k…]: output channel c·mult + m, as TF orders it.
    private static (float[] Data, long[] Dims) DepthwiseKernel(float[] data, long[] shape)
    {
        int r = shape.Length;
        var perm = new[] { r - 2, r - 1 }.Concat(Enumerable.Range(0, r - 2)).ToArray();
        var t = OnnxLayout.Transpose(data, shape, perm, out var tDims);
        var dims = new[] { tDims[0] * tDims[1], 1L }.Concat(tDims.Skip(2)).ToArray();
        return (t, dims);
    }

    private static (float[] Kernel, float[]? Bias) Fold(OnnxLayerContext c, float[] kernel, long[] dims, float[]? bias)
    {
        if (c.FoldBatchNorm is not { } bn) return (kernel, bias);
        long outCh = dims[0];
        var (scale, shift) = NormalizationOnnx.ScaleShift(bn.Node, bn.Spec, outCh, c.Backend);
        long per = kernel.LongLength / outCh;
        var k = (float[])kernel.Clone();
        for (long o = 0; o < outCh; o++)
            for (long j = 0; j < per; j++) k[o * per + j] *= scale[o];
        var b = new float[outCh];
        for (long o = 0; o < outCh; o++) b[o] = (bias is null ? 0f : bias[o]) * scale[o] + shift[o];
        return (k, b);
    }
}
