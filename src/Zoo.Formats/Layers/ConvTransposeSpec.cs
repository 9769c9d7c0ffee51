namespace Zoo.Formats.Layers;

/// <summary>
/// <c>Conv1DTranspose</c>/<c>Conv2DTranspose</c>/<c>Conv3DTranspose</c>: kernel (k₁…k_r, filters, in) — note
/// filters before input channels, the reverse of a forward convolution — and bias (filters).
/// <see cref="OutputPadding"/> is null when Keras infers the output size. Keras 1's <c>Deconvolution2D</c>
/// states its output size instead (<see cref="OutputSize"/>, from <c>output_shape</c>).
/// </summary>
public sealed record ConvTransposeSpec(
    string Name, string ClassName, int Rank, int Filters, int[] KernelSize, int[] Strides, int[] Dilation,
    Padding Padding, DataFormat DataFormat, int[]? OutputPadding, bool UseBias, KerasActivation Activation) : LayerSpec(Name, ClassName)
{
    /// <summary>Keras 1 <c>Deconvolution2D</c>'s spatial output sizes from its <c>output_shape</c>; null otherwise.</summary>
    public int[]? OutputSize { get; init; }

    /// <summary>Reads Keras 1's <c>Deconvolution2D</c> (nb_filter, nb_row, nb_col, output_shape, subsample, border_mode; TF ordering only).</summary>
    public static ConvTransposeSpec ReadKeras1(LayerConfig c)
    {
        var format = c.DataFormat();
        if (format == DataFormat.ChannelsFirst)
            throw new UnsupportedFeatureException($"layer '{c.Name}' ({c.Node.ClassName}): Keras 1 Theano-ordered ('th') deconvolution kernels are not supported", null, $"layers/{c.Name}");
        var shape = c.IntList("output_shape") ?? throw c.Bad("output_shape", "the output shape (batch, rows, cols, filters)", null);
        if (shape.Length != 4) throw c.Bad("output_shape", "4 entries (batch, rows, cols, filters)", c.Find("output_shape"));
        var padding = c.Padding();
        if (padding == Padding.Causal) throw c.Bad("border_mode", "valid or same", c.Find("border_mode"));
        return new ConvTransposeSpec(c.Name, c.Node.ClassName, 2, c.Int(null, "nb_filter"), new[] { c.Int(null, "nb_row"), c.Int(null, "nb_col") },
            c.Ints(2, ConvSpec.Ones(2), "subsample"), ConvSpec.Ones(2), padding, format, null, c.Bool(true, "bias"), c.Activation())
        {
            OutputSize = new[] { shape[1], shape[2] },
        };
    }

    /// <summary>Reads a transposed convolution of rank <paramref name="rank"/>.</summary>
    public static ConvTransposeSpec Read(LayerConfig c, int rank)
    {
        var padding = c.Padding();
        if (padding == Padding.Causal) throw c.Bad("padding", "valid or same", c.Find("padding"));
        var outputPadding = c.Find("output_padding") is null ? null : c.Ints(rank, null, "output_padding");
        var spec = new ConvTransposeSpec(c.Name, c.Node.ClassName, rank, c.Int(null, "filters"), c.Ints(rank, null, "kernel_size"),
            c.Ints(rank, ConvSpec.Ones(rank), "strides"), c.Ints(rank, ConvSpec.Ones(rank), "dilation_rate"), padding, c.DataFormat(),
            outputPadding, c.Bool(true, "use_bias"), c.Activation());
        if (c.Int(1, "groups") != 1)
            throw new UnsupportedFeatureException($"layer '{c.Name}' ({c.Node.ClassName}): grouped transposed convolution is not supported", null, $"layers/{c.Name}");
        if (outputPadding is not null)
            for (int i = 0; i < rank; i++)
                if (outputPadding[i] < 0 || outputPadding[i] >= spec.Strides[i])
                    throw c.Bad("output_padding", $"values from 0 to below the stride ({spec.Strides[i]})", c.Find("output_padding"));
        return spec;
    }

    /// <summary>
    /// Keras's output length on spatial axis <paramref name="axis"/> for an input of length <paramref name="input"/>:
    /// without output_padding, valid gives in·s + max(k′ − s, 0) and same gives in·s; with it,
    /// (in − 1)·s + k′ − 2·pad + output_padding where pad is k′/2 for same and 0 for valid (k′ the dilated kernel).
    /// </summary>
    public long OutputLength(int axis, long input)
    {
        if (OutputSize is not null && OutputSize[axis] > 0) return OutputSize[axis];
        long s = Strides[axis], k = (long)(KernelSize[axis] - 1) * Dilation[axis] + 1;
        if (OutputPadding is null)
            return Padding == Padding.Same ? input * s : input * s + Math.Max(k - s, 0);
        long pad = Padding == Padding.Same ? k / 2 : 0;
        return (input - 1) * s + k - 2 * pad + OutputPadding[axis];
    }

    /// <summary>
    /// How many leading cells TensorFlow crops from the full transposed output (length (in − 1)·s + k′) on
    /// <paramref name="axis"/>: the "before" half of the same-padding the matching forward convolution would use.
    /// </summary>
    public long CropBefore(int axis, long input)
    {
        if (Padding == Padding.Valid) return 0;
        long s = Strides[axis], k = (long)(KernelSize[axis] - 1) * Dilation[axis] + 1;
        long total = Math.Max((input - 1) * s + k - OutputLength(axis, input), 0);
        return total / 2;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        long inCh = ShapeMath.Channels(ShapeMath.Single(inputShapes, Name), DataFormat);
        var shape = KernelSize.Select(k => (long)k).Append(Filters).Append(inCh).ToArray();
        var w = new List<WeightSpec> { new("kernel", shape, Aliases: new[] { "W" }) };
        if (UseBias) w.Add(new("bias", new[] { (long)Filters }, Aliases: new[] { "b" }));
        return w;
    }
}
