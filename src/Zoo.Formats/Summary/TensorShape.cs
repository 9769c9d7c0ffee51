using System.Globalization;

namespace Zoo.Formats.Summary;

/// <summary>
/// A symbolic tensor shape as Keras reports it: the batch dimension first, each dimension a size or
/// unknown (<c>None</c>). Printed the way Keras prints it: <c>(None, 26, 26, 32)</c>, <c>(None,)</c>.
/// </summary>
public sealed class TensorShape : IEquatable<TensorShape>
{
    private readonly long?[] dims;

    /// <summary>Creates a shape from its dimensions (null = unknown).</summary>
    public TensorShape(IEnumerable<long?> dims) => this.dims = dims.ToArray();

    /// <summary>Creates a shape from its dimensions (null = unknown).</summary>
    public static TensorShape Of(params long?[] dims) => new(dims);

    /// <summary>The dimensions, batch first; null where unknown.</summary>
    public IReadOnlyList<long?> Dims => dims;

    /// <summary>Number of dimensions, batch included.</summary>
    public int Rank => dims.Length;

    /// <summary>The dimension at <paramref name="axis"/>; negative axes count from the end.</summary>
    public long? this[int axis] => dims[Axis(axis)];

    /// <summary>Resolves a possibly negative axis against the rank; throws when outside it.</summary>
    public int Axis(int axis)
    {
        int a = axis < 0 ? axis + dims.Length : axis;
        if (a < 0 || a >= dims.Length) throw new ArgumentOutOfRangeException(nameof(axis), $"axis {axis} outside rank {dims.Length}");
        return a;
    }

    /// <summary>A copy with the dimension at <paramref name="axis"/> replaced.</summary>
    public TensorShape With(int axis, long? size)
    {
        var copy = (long?[])dims.Clone();
        copy[Axis(axis)] = size;
        return new TensorShape(copy);
    }

    /// <summary>The product of the dimensions from <paramref name="start"/> on; null when one is unknown.</summary>
    public long? Product(int start = 1)
    {
        long p = 1;
        for (int i = start; i < dims.Length; i++)
        {
            if (dims[i] is not long d) return null;
            p = checked(p * d);
        }
        return p;
    }

    /// <inheritdoc/>
    public bool Equals(TensorShape? other) => other is not null && dims.AsSpan().SequenceEqual(other.dims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TensorShape);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in dims) h.Add(d);
        return h.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var parts = dims.Select(d => d is long v ? v.ToString(CultureInfo.InvariantCulture) : "None").ToArray();
        return parts.Length == 1 ? $"({parts[0]},)" : $"({string.Join(", ", parts)})";
    }

    /// <summary>Keras-style text for a layer's outputs: one shape, a list of shapes, or <c>?</c> when unknown.</summary>
    public static string Format(IReadOnlyList<TensorShape?>? shapes)
    {
        if (shapes is null || shapes.Count == 0 || shapes.Any(s => s is null)) return "?";
        return shapes.Count == 1 ? shapes[0]!.ToString() : "[" + string.Join(", ", shapes.Select(s => s!.ToString())) + "]";
    }
}
