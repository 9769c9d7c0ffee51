using Zoo.Formats.Layers;

namespace Zoo.Onnx.Lowerings;

/// <summary>
/// Layers that only move data: Flatten (in Keras's H,W,C order, since the graph keeps Keras's layout),
/// Reshape (batch kept with 0), Permute, RepeatVector, ZeroPadding, Cropping and UpSampling.
/// </summary>
internal static class ShapeOnnx
{
    /// <summary><c>Flatten</c>: channels_first inputs are first put back in channels-last order, as Keras does.</summary>
    public static IReadOnlyList<string> Flatten(OnnxLayerContext c)
    {
        var s = (FlattenSpec)c.Spec;
        var x = c.X;
        if (s.DataFormat == DataFormat.ChannelsFirst && c.Rank > 2) x = c.Op("Transpose", x, ("perm", OnnxLayout.ToChannelsLast(c.Rank)));
        return new[] { c.Op("Flatten", x, ("axis", 1)) };
    }

    /// <summary><c>Reshape(target_shape)</c> with the batch dimension copied.</summary>
    public static IReadOnlyList<string> Reshape(OnnxLayerContext c)
    {
        var s = (ReshapeSpec)c.Spec;
        var shape = c.Ints("shape", new long[] { 0 }.Concat(s.TargetShape.Select(d => (long)d)).ToArray());
        return new[] { c.Op("Reshape", new[] { c.X, shape }) };
    }

    /// <summary><c>Permute(dims)</c> (1-based, batch fixed).</summary>
    public static IReadOnlyList<string> Permute(OnnxLayerContext c)
        => new[] { c.Op("Transpose", c.X, ("perm", new[] { 0 }.Concat(((PermuteSpec)c.Spec).Dims).ToArray())) };

    /// <summary><c>RepeatVector(n)</c>: (batch, d) → (batch, n, d).</summary>
    public static IReadOnlyList<string> RepeatVector(OnnxLayerContext c)
    {
        var n = ((RepeatVectorSpec)c.Spec).N;
        var x = c.Op("Unsqueeze", new[] { c.X, c.Ints("axes", 1) });
        return new[] { c.Op("Tile", new[] { x, c.Ints("repeats", 1, n, 1) }) };
    }

    /// <summary><c>ZeroPadding1D/2D</c>: a constant Pad over the spatial axes.</summary>
    public static IReadOnlyList<string> ZeroPadding(OnnxLayerContext c)
    {
        var s = (ZeroPaddingSpec)c.Spec;
        var (begin, end) = SpatialPairs(c.Rank, s.Rank, s.DataFormat, s.Padding);
        return new[] { c.Op("Pad", new[] { c.X, c.Ints("pads", begin.Concat(end).ToArray()) }, ("mode", "constant")) };
    }

    /// <summary><c>Cropping1D/2D</c>: a Slice from each side of the spatial axes.</summary>
    public static IReadOnlyList<string> Cropping(OnnxLayerContext c)
    {
        var s = (CroppingSpec)c.Spec;
        int first = s.DataFormat == DataFormat.ChannelsLast ? 1 : 2;
        var axes = Enumerable.Range(first, s.Rank).Select(a => (long)a).ToArray();
        var starts = s.Cropping.Select(p => (long)p[0]).ToArray();
        // A negative end counts from the back; an end of 0 cropped means "to the end".
        var ends = s.Cropping.Select(p => p[1] == 0 ? long.MaxValue : -(long)p[1]).ToArray();
        return new[] { c.Op("Slice", new[] { c.X, c.Ints("starts", starts), c.Ints("ends", ends), c.Ints("axes", axes) }) };
    }

    /// <summary><c>UpSampling1D/2D</c>: nearest repeats cells; bilinear is Resize with half-pixel centres (TF2 and torch align_corners=False).</summary>
    public static IReadOnlyList<string> UpSampling(OnnxLayerContext c)
    {
        var s = (UpSamplingSpec)c.Spec;
        int first = s.DataFormat == DataFormat.ChannelsLast ? 1 : 2;
        var scales = Enumerable.Repeat(1f, c.Rank).ToArray();
        for (int i = 0; i < s.Rank; i++) scales[first + i] = s.Size[i];
        var scalesName = c.B.Floats($"{c.Scope}/scales", new long[] { scales.Length }, scales);
        var attrs = s.Interpolation == Interpolation.Nearest
            ? new (string, object)[] { ("mode", "nearest"), ("nearest_mode", "floor"), ("coordinate_transformation_mode", "asymmetric") }
            : new (string, object)[] { ("mode", "linear"), ("coordinate_transformation_mode", "half_pixel") };
        return new[] { c.Op("Resize", new[] { c.X, "", scalesName }, attrs) };
    }

    private static (long[] Begin, long[] End) SpatialPairs(int rank, int spatial, DataFormat format, int[][] pairs)
    {
        int first = format == DataFormat.ChannelsLast ? 1 : 2;
        var begin = new long[rank];
        var end = new long[rank];
        for (int i = 0; i < spatial; i++) { begin[first + i] = pairs[i][0]; end[first + i] = pairs[i][1]; }
        return (begin, end);
    }
}
