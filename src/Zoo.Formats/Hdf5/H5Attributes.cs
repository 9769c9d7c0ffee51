using System.Collections;
using System.Text;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Hdf5;

/// <summary>How an HDF5 string is stored.</summary>
public enum H5StringKind
{
    /// <summary>Variable-length strings in the global heap (what h5py writes for a Python <c>str</c>).</summary>
    Variable,
    /// <summary>Fixed-length, NUL-padded strings (what h5py writes for a NumPy <c>S</c> array).</summary>
    Fixed,
}

/// <summary>The character set an HDF5 string type declares.</summary>
public enum H5CharSet
{
    /// <summary>H5T_CSET_ASCII.</summary>
    Ascii,
    /// <summary>H5T_CSET_UTF8.</summary>
    Utf8,
}

/// <summary>An attribute value: strings or numbers, scalar or one array.</summary>
public abstract class H5AttributeValue
{
    /// <summary>True for an HDF5 scalar dataspace (a single value with no dimensions).</summary>
    public abstract bool IsScalar { get; }
}

/// <summary>
/// A string attribute. It remembers how the source stored it (fixed or variable length, charset, the
/// fixed element size) so that a file read and written back has the same kind of attribute, which matters
/// to old Keras versions that call <c>.decode()</c> on what h5py returns.
/// </summary>
public sealed class H5StringAttribute : H5AttributeValue
{
    /// <summary>Creates a string attribute.</summary>
    /// <param name="values">The strings; exactly one when <paramref name="isScalar"/>.</param>
    /// <param name="kind">Fixed or variable length.</param>
    /// <param name="charSet">Declared character set.</param>
    /// <param name="isScalar">A scalar dataspace rather than a one-dimensional array.</param>
    /// <param name="fixedSize">For <see cref="H5StringKind.Fixed"/>: bytes per element; null uses the longest UTF-8 encoding (at least 1), as NumPy does.</param>
    public H5StringAttribute(IReadOnlyList<string> values, H5StringKind kind, H5CharSet charSet, bool isScalar = false, int? fixedSize = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (isScalar && values.Count != 1) throw new ArgumentException("a scalar string attribute holds exactly one value", nameof(values));
        Values = values.ToArray();
        Kind = kind;
        CharSet = charSet;
        IsScalarValue = isScalar;
        int longest = Values.Count == 0 ? 1 : Math.Max(1, Values.Max(v => Encoding.UTF8.GetByteCount(v)));
        FixedSize = kind == H5StringKind.Fixed ? Math.Max(fixedSize ?? longest, longest) : 0;
    }

    private bool IsScalarValue { get; }

    /// <inheritdoc/>
    public override bool IsScalar => IsScalarValue;

    /// <summary>The strings (fixed-length ones without their NUL padding).</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>Fixed or variable length.</summary>
    public H5StringKind Kind { get; }

    /// <summary>Declared character set.</summary>
    public H5CharSet CharSet { get; }

    /// <summary>Bytes per element for fixed-length strings; 0 for variable length.</summary>
    public int FixedSize { get; }

    /// <summary>A scalar variable-length string (what h5py writes for <c>attrs['x'] = 'text'</c>).</summary>
    public static H5StringAttribute Scalar(string value, H5CharSet charSet = H5CharSet.Utf8)
        => new(new[] { value }, H5StringKind.Variable, charSet, isScalar: true);

    /// <summary>Total bytes the values occupy in an attribute message (what Keras's 64,512-byte chunking rule measures for fixed strings).</summary>
    public long EncodedSize => Kind == H5StringKind.Fixed ? (long)FixedSize * Values.Count : Values.Sum(v => (long)Encoding.UTF8.GetByteCount(v));
}

/// <summary>A numeric attribute: raw little-endian bytes, element type and shape (empty shape = scalar).</summary>
public sealed class H5NumericAttribute : H5AttributeValue
{
    /// <summary>Creates a numeric attribute; <paramref name="data"/> must hold product(shape) elements.</summary>
    public H5NumericAttribute(DType dtype, long[] shape, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (WeightTensor.ElementCount(shape) * dtype.Size() != data.LongLength)
            throw new ArgumentException($"numeric attribute of shape [{string.Join(",", shape)}] {dtype.KerasName()} needs {WeightTensor.ElementCount(shape) * dtype.Size()} bytes, got {data.LongLength}");
        DType = dtype;
        Shape = shape;
        Data = data;
    }

    /// <summary>Element type.</summary>
    public DType DType { get; }

    /// <summary>Dimensions; empty for a scalar.</summary>
    public long[] Shape { get; }

    /// <summary>Raw little-endian bytes.</summary>
    public byte[] Data { get; }

    /// <inheritdoc/>
    public override bool IsScalar => Shape.Length == 0;

    /// <summary>The empty float64 array Keras writes as <c>weight_names</c> of a layer without weights.</summary>
    public static H5NumericAttribute EmptyFloat64() => new(DType.Float64, new long[] { 0 }, Array.Empty<byte>());
}

/// <summary>An object's attributes, in order, keyed by name.</summary>
public sealed class H5AttributeSet : IEnumerable<KeyValuePair<string, H5AttributeValue>>
{
    private readonly List<string> order = new();
    private readonly Dictionary<string, H5AttributeValue> values = new(StringComparer.Ordinal);

    /// <summary>Number of attributes.</summary>
    public int Count => order.Count;

    /// <summary>Gets an attribute (null when absent) or sets one (appended when new, replaced in place otherwise).</summary>
    public H5AttributeValue? this[string name]
    {
        get => values.GetValueOrDefault(name);
        set
        {
            if (value is null) { Remove(name); return; }
            if (!values.ContainsKey(name)) order.Add(name);
            values[name] = value;
        }
    }

    /// <summary>True when an attribute of that name exists.</summary>
    public bool Contains(string name) => values.ContainsKey(name);

    /// <summary>Removes an attribute; false when absent.</summary>
    public bool Remove(string name) => values.Remove(name) && order.Remove(name);

    /// <summary>The attribute as a string list (a scalar string gives one element); null when absent or not strings.</summary>
    public IReadOnlyList<string>? Strings(string name) => values.GetValueOrDefault(name) is H5StringAttribute s ? s.Values : null;

    /// <summary>The attribute as one string (scalar, or a one-element array); null when absent or not a string.</summary>
    public string? String(string name) => Strings(name) is { Count: 1 } list ? list[0] : null;

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, H5AttributeValue>> GetEnumerator()
        => order.Select(n => new KeyValuePair<string, H5AttributeValue>(n, values[n])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
