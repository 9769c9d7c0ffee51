using Zoo.Formats;

namespace Zoo.FineTune.Fitting;

/// <summary>One array of samples, row-major, batch first, Keras layout (e.g. [n, 28, 28, 1]).</summary>
public sealed record SampleArray(float[] Values, long[] Shape)
{
    /// <summary>Number of samples (the first dimension).</summary>
    public long Count => Shape.Length == 0 ? 0 : Shape[0];

    /// <summary>Values per sample.</summary>
    public long RowLength => Shape.Skip(1).Aggregate(1L, (a, b) => a * b);

    /// <summary>Samples [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public SampleArray Slice(long start, long end)
    {
        var shape = Shape.ToArray();
        shape[0] = end - start;
        return new(Values[(int)(start * RowLength)..(int)(end * RowLength)], shape);
    }

    internal void Validate(string what)
    {
        long product = Shape.Aggregate(1L, (a, b) => a * b);
        if (Shape.Length == 0 || product != Values.Length)
            throw new ModelFormatException($"{what} has {Values.Length} values, expected {product} for shape [{string.Join(",", Shape)}]");
    }
}

/// <summary>
/// Samples for a model with several inputs or outputs: one array per input (<see cref="X"/>) and per output
/// (<see cref="Y"/>), in the model's input and output order, as Keras's <c>fit([x1, x2], [y1, y2])</c> takes them.
/// <code>
/// var data = new MultiArrayDataset(new[] { new SampleArray(image, [n, 8]), new SampleArray(meta, [n, 3]) },
///                                  new[] { new SampleArray(labels, [n, 2]), new SampleArray(score, [n, 1]) });
/// </code>
/// </summary>
public sealed record MultiArrayDataset(IReadOnlyList<SampleArray> X, IReadOnlyList<SampleArray> Y)
{
    /// <summary>The one-input, one-output dataset <paramref name="data"/> in this form.</summary>
    public static MultiArrayDataset From(ArrayDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new(new[] { new SampleArray(data.X, data.XShape) }, new[] { new SampleArray(data.Y, data.YShape) });
    }

    /// <summary>Number of samples.</summary>
    public long Count => X.Count == 0 ? 0 : X[0].Count;

    /// <summary>Checks that every array's data fits its shape and that all hold the same number of samples.</summary>
    /// <exception cref="ModelFormatException">They do not.</exception>
    public void Validate(string what = "data")
    {
        if (X.Count == 0 || Y.Count == 0)
            throw new ModelFormatException($"{what}: needs at least one x and one y array, found {X.Count} and {Y.Count}");
        for (int i = 0; i < X.Count; i++) X[i].Validate($"{what}: x[{i}]");
        for (int i = 0; i < Y.Count; i++) Y[i].Validate($"{what}: y[{i}]");
        var counts = X.Concat(Y).Select(a => a.Count).Distinct().ToArray();
        if (counts.Length != 1)
            throw new ModelFormatException($"{what}: arrays hold different numbers of samples: x [{string.Join(", ", X.Select(a => a.Count))}], y [{string.Join(", ", Y.Select(a => a.Count))}]");
    }

    /// <summary>Samples [<paramref name="start"/>, <paramref name="end"/>) of every array.</summary>
    public MultiArrayDataset Slice(long start, long end)
        => new(X.Select(a => a.Slice(start, end)).ToArray(), Y.Select(a => a.Slice(start, end)).ToArray());

    /// <summary>Keras's <c>validation_split</c>: the last <paramref name="fraction"/> of the samples, before shuffling, validates.</summary>
    public (MultiArrayDataset Train, MultiArrayDataset Validation) SplitForValidation(double fraction)
    {
        long at = ValidationSplit.Cut(Count, fraction);
        return (Slice(0, at), Slice(at, Count));
    }
}
