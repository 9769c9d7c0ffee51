using Zoo.Formats.Layers;

namespace Zoo.Onnx.Lowerings;

/// <summary>
/// <c>GroupNormalization</c> from Reshape and ReduceMean (ONNX's own GroupNormalization arrives only in
/// opset 18, with per-group rather than per-channel scale and bias until opset 21): the input is viewed as
/// (N, before, G, C/G, after) around the channel axis, normalized over all but N and G with biased variance,
/// restored to its own shape, then γ and β per channel in the Keras layout.
/// </summary>
internal static class GroupNormalizationOnnx
{
    /// <summary><c>GroupNormalization</c> on any channel axis.</summary>
    public static IReadOnlyList<string> GroupNorm(OnnxLayerContext c)
    {
        var s = (GroupNormalizationSpec)c.Spec;
        int rank = c.Rank;
        int axis = AxisList.Normalize(s.Axis, rank);
        var concrete = OnnxLayerContext.ConcreteShape(c.XShape);
        long ch = s.Channels(concrete);
        int groups = s.GroupsFor(concrete);
        if (c.XShape![axis] is null) throw c.Unsupported("the channel axis has an unknown size");
        long before = 1;
        bool last = axis == rank - 1;
        if (!last)
            for (int i = 1; i < axis; i++)
                before *= c.XShape[i] ?? throw c.Unsupported($"axis {i} before the channel axis has an unknown size");
        var grouped = last
            ? new[] { 0, -1, groups, ch / groups, 1 }
            : new[] { 0, before, groups, ch / groups, -1 };
        var g = c.Op("Reshape", new[] { c.X, c.Ints("grouped_shape", grouped) });
        var axes = new[] { 1, 3, 4 };
        var centered = c.Op("Sub", new[] { g, OnnxReduce.Mean(c, g, axes, keepDims: true) });
        var variance = OnnxReduce.Mean(c, c.Op("Mul", new[] { centered, centered }), axes, keepDims: true);
        var normed = c.Op("Div", new[] { centered, c.Op("Sqrt", c.Op("Add", new[] { variance, c.Scalar("epsilon", s.Epsilon) })) });
        var y = c.Op("Reshape", new[] { normed, c.Op("Shape", c.X) });
        var dims = new[] { ch }.Concat(Enumerable.Repeat(1L, rank - 1 - axis)).ToArray();
        int wi = 0;
        if (s.Scale) y = c.Op("Mul", new[] { y, c.Init("gamma", dims, c.Weights[wi++]) });
        if (s.Center) y = c.Op("Add", new[] { y, c.Init("beta", dims, c.Weights[wi]) });
        return new[] { y };
    }
}
