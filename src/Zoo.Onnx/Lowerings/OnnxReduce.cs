namespace Zoo.Onnx.Lowerings;

/// <summary>Reduce ops across opsets: axes are an attribute up to opset 17 (ReduceSum: 12) and an input after.</summary>
internal static class OnnxReduce
{
    /// <summary>ReduceMean over <paramref name="axes"/>.</summary>
    public static string Mean(OnnxLayerContext c, string x, int[] axes, bool keepDims) => Reduce(c, "ReduceMean", x, axes, keepDims, 18);

    /// <summary>ReduceMax over <paramref name="axes"/>.</summary>
    public static string Max(OnnxLayerContext c, string x, int[] axes, bool keepDims) => Reduce(c, "ReduceMax", x, axes, keepDims, 18);

    /// <summary>ReduceSum over <paramref name="axes"/>.</summary>
    public static string Sum(OnnxLayerContext c, string x, int[] axes, bool keepDims) => Reduce(c, "ReduceSum", x, axes, keepDims, 13);

    private static string Reduce(OnnxLayerContext c, string op, string x, int[] axes, bool keepDims, int axesAsInputSince)
        => c.Options.Opset >= axesAsInputSince
            ? c.Op(op, new[] { x, c.Ints("axes", axes.Select(a => (long)a).ToArray()) }, ("keepdims", keepDims ? 1 : 0))
            : c.Op(op, x, ("axes", axes), ("keepdims", keepDims ? 1 : 0));
}
