namespace Zoo.Formats.Layers;

/// <summary>
/// <c>Conv1D</c>/<c>Conv2D</c>/<c>Conv3D</c> (Keras 1 <c>Convolution1D/2D</c>, <c>AtrousConvolution1D/2D</c>):
/// kernel (k₁…k_r, in/groups, filters), bias (filters).
/// </summary>
public sealed record ConvSpec(
    string Name, string ClassName, int Rank, int Filters, int[] KernelSize, int[] Strides, int[] Dilation,
    Padding Padding, DataFormat DataFormat, int Groups, bool UseBias, KerasActivation Activation) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads a convolution of rank <paramref name="rank"/>.</summary>
    public static ConvSpec Read(LayerConfig c, int rank)
    {
        int[] kernel = c.Has("kernel_size") ? c.Ints(rank, null, "kernel_size")
            : rank == 1 ? new[] { c.Int(null, "filter_length") }
            : rank == 2 ? new[] { c.Int(null, "nb_row"), c.Int(null, "nb_col") }
            : new[] { c.Int(null, "kernel_dim1"), c.Int(null, "kernel_dim2"), c.Int(null, "kernel_dim3") };
        int[] strides = rank == 1 && !c.Has("strides") ? new[] { c.Int(1, "subsample_length") }
            : c.Ints(rank, Ones(rank), "strides", "subsample");
        int[] dilation = rank == 1 && !c.Has("dilation_rate") ? new[] { c.Int(1, "atrous_rate") }
            : c.Ints(rank, Ones(rank), "dilation_rate", "atrous_rate");
        var format = c.DataFormat();
        if (c.Dialect == Ir.KerasDialectKind.Keras1 && format == DataFormat.ChannelsFirst)
            throw new UnsupportedFeatureException(
                $"layer '{c.Name}' ({c.Node.ClassName}): Keras 1 Theano-ordered ('th') convolution kernels are not supported", null, $"layers/{c.Name}");
        var spec = new ConvSpec(c.Name, c.Node.ClassName, rank, c.Int(null, "filters", "nb_filter"), kernel, strides, dilation,
            c.Padding(), format, c.Int(1, "groups"), c.Bool(true, "use_bias", "bias"), c.Activation());
        if (spec.Padding == Padding.Causal && rank != 1) throw c.Bad("padding", "valid or same (causal is Conv1D only)", c.Find("padding"));
        return spec;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        long inCh = ShapeMath.Channels(ShapeMath.Single(inputShapes, Name), DataFormat);
        if (inCh % Groups != 0)
            throw new ModelFormatException($"layer '{Name}': {inCh} input channels are not divisible by groups={Groups}");
        var shape = KernelSize.Select(k => (long)k).Append(inCh / Groups).Append(Filters).ToArray();
        var w = new List<WeightSpec> { new("kernel", shape, Aliases: new[] { "W" }) };
        if (UseBias) w.Add(new("bias", new[] { (long)Filters }, Aliases: new[] { "b" }));
        return w;
    }

    internal static int[] Ones(int rank) => Enumerable.Repeat(1, rank).ToArray();
}
