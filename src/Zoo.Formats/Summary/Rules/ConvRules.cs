using Zoo.Formats.Ir;

namespace Zoo.Formats.Summary.Rules;

/// <summary>The convolution families: plain, grouped, depthwise, separable and transposed, in 1-3 spatial dimensions.</summary>
internal static class ConvRules
{
    /// <summary>How a convolution class maps channels.</summary>
    public enum Kind
    {
        /// <summary>Conv1D/2D/3D (and Keras 1 Convolution*).</summary>
        Plain,
        /// <summary>DepthwiseConv1D/2D.</summary>
        Depthwise,
        /// <summary>SeparableConv1D/2D.</summary>
        Separable,
        /// <summary>Conv1D/2D/3DTranspose (Keras 1 Deconvolution2D).</summary>
        Transpose,
    }

    public static LayerRule For(int rank, Kind kind)
        => new((l, c, x) => Shape(rank, kind, c, x), (l, c, x) => Params(rank, kind, c, x));

    private static long[]? Kernel(int n, ConfigView c)
        => c.Tuple(n, "kernel_size") ?? n switch
        {
            1 => c.Separate("filter_length"),
            2 => c.Separate("nb_row", "nb_col"),
            _ => c.Separate("kernel_dim1", "kernel_dim2", "kernel_dim3"),
        };

    private static long[] Strides(int n, ConfigView c)
        => c.Tuple(n, "strides", "subsample") ?? (n == 1 ? c.Tuple(1, "subsample_length") : null) ?? Ones(n);

    private static long[] Ones(int n) => Enumerable.Repeat(1L, n).ToArray();

    private static IReadOnlyList<TensorShape>? Shape(int n, Kind kind, ConfigView c, IReadOnlyList<TensorShape> x)
    {
        var input = x[0];
        if (input.Rank != n + 2) return null;
        bool cf = c.ChannelsFirst;
        // Keras 1 Deconvolution2D states its output shape outright.
        if (kind == Kind.Transpose && ConfigView.ShapeOf(c.Node("output_shape")) is { Rank: var r } given && r == n + 2)
            return [given.With(0, input[0])];
        var kernel = Kernel(n, c);
        if (kernel is null) return null;
        var strides = Strides(n, c);
        var dilation = c.Tuple(n, "dilation_rate", "atrous_rate") ?? Ones(n);
        var outputPadding = c.Tuple(n, "output_padding");
        string padding = c.Str("padding", "border_mode") ?? "valid";
        var axes = Spatial.Axes(n, cf);
        var shape = input;
        for (int i = 0; i < n; i++)
        {
            long? len = kind == Kind.Transpose
                ? Spatial.DeconvLength(input[axes[i]], kernel[i], padding, strides[i], outputPadding?[i], dilation[i])
                : Spatial.ConvLength(input[axes[i]], kernel[i], padding, strides[i], dilation[i]);
            shape = shape.With(axes[i], len);
        }
        long? inChannels = input[Spatial.ChannelAxis(input.Rank, cf)];
        long? outChannels = kind == Kind.Depthwise
            ? Spatial.Mul(inChannels, c.Long("depth_multiplier") ?? 1)
            : c.Long("filters", "nb_filter");
        if (outChannels is null) return null;
        return [shape.With(Spatial.ChannelAxis(input.Rank, cf), outChannels)];
    }

    private static ParamCount? Params(int n, Kind kind, ConfigView c, IReadOnlyList<TensorShape> x)
    {
        var input = x[0];
        if (input.Rank != n + 2) return null;
        var kernel = Kernel(n, c);
        if (kernel is null || input[Spatial.ChannelAxis(input.Rank, c.ChannelsFirst)] is not long inCh) return null;
        long k = kernel.Aggregate(1L, (a, b) => a * b);
        bool bias = c.Bool(true, "use_bias", "bias");
        long mult = c.Long("depth_multiplier") ?? 1;
        long filters = c.Long("filters", "nb_filter") ?? 0;
        long groups = c.Long("groups") ?? 1;
        long total = kind switch
        {
            Kind.Depthwise => k * inCh * mult + (bias ? inCh * mult : 0),
            Kind.Separable => k * inCh * mult + inCh * mult * filters + (bias ? filters : 0),
            Kind.Transpose => k * inCh / groups * filters + (bias ? filters : 0),
            _ => k * (inCh / groups) * filters + (bias ? filters : 0),
        };
        return new ParamCount(total, 0);
    }
}
