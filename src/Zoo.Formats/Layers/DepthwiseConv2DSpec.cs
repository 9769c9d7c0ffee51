namespace Zoo.Formats.Layers;

/// <summary>
/// <c>DepthwiseConv2D</c>: one (kh, kw) filter per input channel and multiplier; depthwise_kernel
/// (kh, kw, in, multiplier), bias (in·multiplier). Output channel c·multiplier + m.
/// </summary>
public sealed record DepthwiseConv2DSpec(
    string Name, string ClassName, int[] KernelSize, int[] Strides, int[] Dilation, Padding Padding,
    DataFormat DataFormat, int DepthMultiplier, bool UseBias, KerasActivation Activation) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static DepthwiseConv2DSpec Read(LayerConfig c)
        => new(c.Name, c.Node.ClassName, c.Ints(2, null, "kernel_size"), c.Ints(2, ConvSpec.Ones(2), "strides"),
            c.Ints(2, ConvSpec.Ones(2), "dilation_rate"), c.Padding(), c.DataFormat(), c.Int(1, "depth_multiplier"),
            c.Bool(true, "use_bias"), c.Activation());

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        long inCh = ShapeMath.Channels(ShapeMath.Single(inputShapes, Name), DataFormat);
        var w = new List<WeightSpec> { new("depthwise_kernel", new long[] { KernelSize[0], KernelSize[1], inCh, DepthMultiplier }) };
        if (UseBias) w.Add(new("bias", new[] { inCh * DepthMultiplier }));
        return w;
    }
}
