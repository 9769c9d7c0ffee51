using Zoo.Formats.Layers;

namespace Zoo.Onnx.Lowerings;

/// <summary>
/// Max/Average pooling (1-D, 2-D) as ONNX MaxPool/AveragePool on the NCHW view; "same" average pooling
/// excludes padded cells from the mean (count_include_pad=0), as TF does. Global pooling is a Reduce over
/// the spatial axes, which needs no transpose at all.
/// </summary>
internal static class PoolingOnnx
{
    /// <summary>MaxPooling1D/2D, AveragePooling1D/2D.</summary>
    public static IReadOnlyList<string> Pool(OnnxLayerContext c)
    {
        var s = (PoolingSpec)c.Spec;
        var ones = Enumerable.Repeat(1, s.Rank).ToArray();
        var pads = OnnxLayout.Pads(s.Padding, OnnxLayout.Spatial(c.XShape, s.Rank, s.DataFormat), s.PoolSize, s.Strides, ones);
        var attrs = new List<(string, object)> { ("kernel_shape", s.PoolSize), ("strides", s.Strides) };
        attrs.Add(pads is null ? ("auto_pad", "SAME_UPPER") : ("pads", pads));
        if (s.Kind == PoolKind.Average) attrs.Add(("count_include_pad", 0));
        var op = s.Kind == PoolKind.Max ? "MaxPool" : "AveragePool";
        return new[] { ConvOnnx.ChannelsFirst(c, s.Rank, s.DataFormat, x => c.Op(op, x, attrs.ToArray())) };
    }

    /// <summary>GlobalMax/AveragePooling1D/2D (keepdims honoured).</summary>
    public static IReadOnlyList<string> Global(OnnxLayerContext c)
    {
        var s = (GlobalPoolingSpec)c.Spec;
        int first = s.DataFormat == DataFormat.ChannelsLast ? 1 : 2;
        var axes = Enumerable.Range(first, s.Rank).ToArray();
        return new[] { s.Kind == PoolKind.Max ? OnnxReduce.Max(c, c.X, axes, s.KeepDims) : OnnxReduce.Mean(c, c.X, axes, s.KeepDims) };
    }
}
