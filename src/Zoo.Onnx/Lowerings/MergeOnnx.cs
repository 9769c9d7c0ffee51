using Zoo.Formats.Layers;

namespace Zoo.Onnx.Lowerings;

/// <summary>Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate (and Keras 1 Merge modes) as ONNX's variadic ops.</summary>
internal static class MergeOnnx
{
    /// <summary>Any merge layer.</summary>
    public static IReadOnlyList<string> Merge(OnnxLayerContext c)
    {
        var s = (MergeSpec)c.Spec;
        var xs = c.Inputs;
        if (s.Op == MergeOp.Subtract && xs.Count != 2) throw c.Unsupported($"Subtract needs exactly 2 inputs, found {xs.Count}");
        return new[]
        {
            s.Op switch
            {
                MergeOp.Add => c.Op("Sum", xs),
                MergeOp.Subtract => c.Op("Sub", xs),
                MergeOp.Multiply => xs.Skip(1).Aggregate(xs[0], (acc, x) => c.Op("Mul", new[] { acc, x })),
                MergeOp.Average => c.Op("Mean", xs),
                MergeOp.Maximum => c.Op("Max", xs),
                MergeOp.Minimum => c.Op("Min", xs),
                _ => c.Op("Concat", xs, ("axis", s.Axis)),
            },
        };
    }
}
