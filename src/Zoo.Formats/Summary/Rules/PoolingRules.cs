using Zoo.Formats.Ir;

namespace Zoo.Formats.Summary.Rules;

/// <summary>Pooling, global pooling, zero padding, cropping and up-sampling: layers that only resize spatial axes.</summary>
internal static class PoolingRules
{
    public static LayerRule Pool(int n) => new((l, c, x) => PoolShape(n, c, x[0]));

    public static LayerRule Global(int n) => new((l, c, x) => GlobalShape(n, c, x[0]));

    public static LayerRule Padding(int n, int sign, string key)
        => new((l, c, x) => PadShape(n, sign, c, key, x[0]));

    public static LayerRule UpSampling(int n) => new((l, c, x) => UpShape(n, c, x[0]));

    private static IReadOnlyList<TensorShape>? PoolShape(int n, ConfigView c, TensorShape input)
    {
        if (input.Rank != n + 2) return null;
        var pool = c.Tuple(n, "pool_size") ?? (n == 1 ? c.Tuple(1, "pool_length") : null) ?? Enumerable.Repeat(2L, n).ToArray();
        var strides = c.Tuple(n, "strides") ?? (n == 1 ? c.Tuple(1, "stride") : null) ?? pool;
        string padding = c.Str("padding", "border_mode") ?? "valid";
        var axes = Spatial.Axes(n, c.ChannelsFirst);
        var shape = input;
        for (int i = 0; i < n; i++) shape = shape.With(axes[i], Spatial.ConvLength(input[axes[i]], pool[i], padding, strides[i]));
        return [shape];
    }

    private static IReadOnlyList<TensorShape>? GlobalShape(int n, ConfigView c, TensorShape input)
    {
        if (input.Rank != n + 2) return null;
        bool cf = c.ChannelsFirst;
        long? channels = input[Spatial.ChannelAxis(input.Rank, cf)];
        if (!c.Bool(false, "keepdims")) return [TensorShape.Of(input[0], channels)];
        var shape = input;
        foreach (var a in Spatial.Axes(n, cf)) shape = shape.With(a, 1);
        return [shape];
    }

    private static IReadOnlyList<TensorShape>? PadShape(int n, int sign, ConfigView c, string key, TensorShape input)
    {
        if (input.Rank != n + 2) return null;
        var amounts = c.Has(key) ? Spatial.Amounts(c.Node(key), n) : Enumerable.Repeat<(long Before, long After)>(sign > 0 ? (1L, 1L) : (0L, 0L), n).ToArray();
        if (amounts is null) return null;
        // ZeroPadding1D and Cropping1D have no data_format: their spatial axis is always 1.
        var axes = Spatial.Axes(n, n > 1 && c.ChannelsFirst);
        var shape = input;
        for (int i = 0; i < n; i++)
            shape = shape.With(axes[i], Spatial.Add(input[axes[i]], sign * (amounts[i].Before + amounts[i].After)));
        return [shape];
    }

    private static IReadOnlyList<TensorShape>? UpShape(int n, ConfigView c, TensorShape input)
    {
        if (input.Rank != n + 2) return null;
        var size = c.Tuple(n, "size") ?? (n == 1 ? c.Tuple(1, "length") : null) ?? Enumerable.Repeat(2L, n).ToArray();
        var axes = Spatial.Axes(n, n > 1 && c.ChannelsFirst);
        var shape = input;
        for (int i = 0; i < n; i++) shape = shape.With(axes[i], Spatial.Mul(input[axes[i]], size[i]));
        return [shape];
    }
}
