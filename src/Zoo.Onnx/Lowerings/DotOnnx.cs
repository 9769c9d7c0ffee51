using Zoo.Formats.Layers;
using Zoo.Formats.Summary;

namespace Zoo.Onnx.Lowerings;

/// <summary>
/// <c>Dot</c> as Keras's batch_dot: optional L2 normalization along the contracted axes, the first input's
/// contracted axis moved last and the second's next to the batch, both flattened around it, one batched
/// MatMul, then the first input's other axes followed by the second's (a rank-1 result gets a trailing 1).
/// </summary>
internal static class DotOnnx
{
    /// <summary><c>Dot</c> on two inputs.</summary>
    public static IReadOnlyList<string> Dot(OnnxLayerContext c)
    {
        var s = (DotSpec)c.Spec;
        if (c.Inputs.Count != 2) throw c.Unsupported($"Dot needs exactly 2 inputs, found {c.Inputs.Count}");
        TensorShape sa = c.InputShapes[0] ?? throw c.Unsupported("the first input's shape is unknown"),
            sb = c.InputShapes[1] ?? throw c.Unsupported("the second input's shape is unknown");
        int ra = sa.Rank, rb = sb.Rank;
        int ax = AxisList.Normalize(s.Axes[0], ra), bx = AxisList.Normalize(s.Axes[1], rb);
        if (ax <= 0 || ax >= ra || bx <= 0 || bx >= rb)
            throw c.Unsupported($"axes [{s.Axes[0]},{s.Axes[1]}] are not non-batch axes of inputs of rank {ra} and {rb}");
        long k = sa[ax] ?? sb[bx] ?? throw c.Unsupported("the contracted axis has an unknown size");
        string a = c.Inputs[0], b = c.Inputs[1];
        if (s.Normalize) { a = L2Normalize(c, a, ax); b = L2Normalize(c, b, bx); }
        var permA = Enumerable.Range(0, ra).Where(i => i != ax).Append(ax).ToArray();
        var permB = new[] { 0, bx }.Concat(Enumerable.Range(1, rb - 1).Where(i => i != bx)).ToArray();
        if (!IsIdentity(permA)) a = c.Op("Transpose", a, ("perm", permA));
        if (!IsIdentity(permB)) b = c.Op("Transpose", b, ("perm", permB));
        a = c.Op("Reshape", new[] { a, c.Ints("lhs_shape", 0, -1, k) });
        b = c.Op("Reshape", new[] { b, c.Ints("rhs_shape", 0, k, -1) });
        var y = c.Op("MatMul", new[] { a, b });
        var rest = permA.Skip(1).Take(ra - 2).Select(i => sa[i]).Concat(permB.Skip(2).Select(i => sb[i])).ToArray();
        if (rest.Any(d => d is null)) throw c.Unsupported("the axes kept from the inputs need known sizes");
        var shape = new[] { 0L }.Concat(rest.Select(d => d!.Value)).ToArray();
        if (shape.Length == 1) shape = new[] { 0L, 1L };
        c.LoweredShapes = new[] { new TensorShape(new long?[] { sa[0] }.Concat(shape.Skip(1).Select(d => (long?)d))) };
        return new[] { c.Op("Reshape", new[] { y, c.Ints("shape", shape) }) };
    }

    // Keras's l2_normalize: x / √max(Σx², 1e-12).
    private static string L2Normalize(OnnxLayerContext c, string x, int axis)
    {
        var sq = OnnxReduce.Sum(c, c.Op("Mul", new[] { x, x }), new[] { axis }, keepDims: true);
        var norm = c.Op("Sqrt", c.Op("Max", new[] { sq, c.Scalar("epsilon", 1e-12) }));
        return c.Op("Div", new[] { x, norm });
    }

    private static bool IsIdentity(int[] perm) => perm.Select((p, i) => p == i).All(v => v);
}
