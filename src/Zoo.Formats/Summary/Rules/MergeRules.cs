namespace Zoo.Formats.Summary.Rules;

/// <summary>Layers that combine several tensors: element-wise merges, concatenation and Keras 1's Merge.</summary>
internal static class MergeRules
{
    /// <summary>Add, Subtract, Multiply, Average, Maximum, Minimum: the broadcast of the inputs.</summary>
    public static readonly LayerRule Elementwise = new((l, c, x) => Broadcast(x) is { } s ? [s] : null);

    public static readonly LayerRule Concatenate = new((l, c, x) => Concat(x, (int)(c.Long("axis") ?? -1)) is { } s ? [s] : null);

    /// <summary>Keras 1 Merge: <c>mode</c> sum/mul/ave/max/concat (with <c>concat_axis</c>); dot and cos are left unknown.</summary>
    public static readonly LayerRule Keras1Merge = new((l, c, x) =>
    {
        TensorShape? s = c.Str("mode") switch
        {
            "sum" or "mul" or "ave" or "max" or null => Broadcast(x),
            "concat" => Concat(x, (int)(c.Long("concat_axis") ?? -1)),
            _ => null,
        };
        return s is null ? null : [s];
    });

    private static TensorShape? Broadcast(IReadOnlyList<TensorShape> x)
    {
        int rank = x.Max(s => s.Rank);
        var dims = new long?[rank];
        for (int i = 0; i < rank; i++)
        {
            var column = x.Where(s => i - (rank - s.Rank) >= 0).Select(s => s.Dims[i - (rank - s.Rank)]).ToList();
            // A size other than 1 wins the broadcast; all ones give one; otherwise it is unknown.
            dims[i] = column.FirstOrDefault(d => d is long v && v != 1)
                      ?? (column.All(d => d == 1) ? 1 : null);
        }
        // The batch axis is unknown whenever one input's is.
        if (x.Any(s => s.Rank == rank && s.Dims[0] is null)) dims[0] = null;
        return new TensorShape(dims);
    }

    private static TensorShape? Concat(IReadOnlyList<TensorShape> x, int axis)
    {
        if (x.Select(s => s.Rank).Distinct().Count() != 1) return null;
        int a = x[0].Axis(axis);
        long? sum = 0;
        foreach (var s in x) sum = sum is long t && s.Dims[a] is long d ? t + d : null;
        return x[0].With(a, sum);
    }
}
