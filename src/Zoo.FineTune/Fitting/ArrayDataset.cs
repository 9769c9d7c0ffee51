using Zoo.Formats;

namespace Zoo.FineTune.Fitting;

/// <summary>
/// Inputs and targets as row-major arrays, batch first, Keras layout: <see cref="X"/> shaped
/// <see cref="XShape"/> (e.g. [n, 28, 28, 1]); <see cref="Y"/> shaped <see cref="YShape"/> ([n, classes]
/// one-hot, or [n] / [n, 1] class indices for a sparse loss).
/// </summary>
public sealed record ArrayDataset(float[] X, long[] XShape, float[] Y, long[] YShape)
{
    /// <summary>Number of samples.</summary>
    public long Count => XShape.Length == 0 ? 0 : XShape[0];

    /// <summary>Checks that shapes and data agree and that X and Y have the same number of samples.</summary>
    /// <exception cref="ModelFormatException">They do not.</exception>
    public void Validate(string what = "data")
    {
        static long Product(long[] s) => s.Aggregate(1L, (a, b) => a * b);
        if (XShape.Length == 0 || Product(XShape) != X.Length)
            throw new ModelFormatException($"{what}: x has {X.Length} values, expected {Product(XShape)} for shape [{string.Join(",", XShape)}]");
        if (YShape.Length == 0 || Product(YShape) != Y.Length)
            throw new ModelFormatException($"{what}: y has {Y.Length} values, expected {Product(YShape)} for shape [{string.Join(",", YShape)}]");
        if (XShape[0] != YShape[0])
            throw new ModelFormatException($"{what}: x has {XShape[0]} samples, y has {YShape[0]}");
    }

    /// <summary>Samples [<paramref name="start"/>, <paramref name="end"/>) as a new dataset.</summary>
    public ArrayDataset Slice(long start, long end)
    {
        long xRow = X.Length / Math.Max(1, Count), yRow = Y.Length / Math.Max(1, Count);
        var xs = XShape.ToArray(); xs[0] = end - start;
        var ys = YShape.ToArray(); ys[0] = end - start;
        return new(X[(int)(start * xRow)..(int)(end * xRow)], xs, Y[(int)(start * yRow)..(int)(end * yRow)], ys);
    }

    /// <summary>
    /// Keras's <c>validation_split</c>: the last <paramref name="fraction"/> of the samples, taken before any
    /// shuffling, validates; the first ⌊n·(1 − fraction)⌋ train.
    /// </summary>
    public (ArrayDataset Train, ArrayDataset Validation) SplitForValidation(double fraction)
    {
        long at = ValidationSplit.Cut(Count, fraction);
        return (Slice(0, at), Slice(at, Count));
    }
}
