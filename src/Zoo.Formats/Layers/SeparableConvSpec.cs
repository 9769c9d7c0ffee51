namespace Zoo.Formats.Layers;

/// <summary>
/// <c>SeparableConv1D</c>/<c>SeparableConv2D</c>: a depthwise conv (depthwise_kernel (k…, in, multiplier))
/// then a 1×1 pointwise conv (pointwise_kernel (1…, in·multiplier, filters)), then bias (filters).
/// </summary>
public sealed record SeparableConvSpec(
    string Name, string ClassName, int Rank, int Filters, int[] KernelSize, int[] Strides, int[] Dilation, Padding Padding,
    DataFormat DataFormat, int DepthMultiplier, bool UseBias, KerasActivation Activation) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads a separable convolution of rank <paramref name="rank"/>.</summary>
    public static SeparableConvSpec Read(LayerConfig c, int rank)
        => new(c.Name, c.Node.ClassName, rank, c.Int(null, "filters", "nb_filter"),
            c.Has("kernel_size") ? c.Ints(rank, null, "kernel_size") : new[] { c.Int(null, "nb_row"), c.Int(null, "nb_col") },
            c.Ints(rank, ConvSpec.Ones(rank), "strides", "subsample"), c.Ints(rank, ConvSpec.Ones(rank), "dilation_rate"),
            c.Padding(), c.DataFormat(), c.Int(1, "depth_multiplier"), c.Bool(true, "use_bias", "bias"), c.Activation());

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        long inCh = ShapeMath.Channels(ShapeMath.Single(inputShapes, Name), DataFormat);
        var k = KernelSize.Select(x => (long)x);
        var ones = Enumerable.Repeat(1L, Rank);
        var w = new List<WeightSpec>
        {
            new("depthwise_kernel", k.Append(inCh).Append(DepthMultiplier).ToArray()),
            new("pointwise_kernel", ones.Append(inCh * DepthMultiplier).Append(Filters).ToArray()),
        };
        if (UseBias) w.Add(new("bias", new[] { (long)Filters }));
        return w;
    }
}
