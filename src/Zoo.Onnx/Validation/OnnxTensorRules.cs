using System.Buffers.Binary;
using System.Globalization;
using Onnx;
using Zoo.Formats;

namespace Zoo.Onnx.Validation;

/// <summary>
/// The rules every tensor in an ONNX file must meet before ONNX Runtime sees it: a known dtype, dims of 0 or
/// more whose product does not overflow, exactly as many stored values (raw bytes, typed fields or external
/// bytes) as the dims declare, external data that names a file inside the model's own folder and a byte range
/// inside that file, and sparse indices inside the dense shape.
/// </summary>
internal sealed class OnnxTensorRules(string file)
{
    private const int String = 8;
    private readonly string folder = Path.GetDirectoryName(file)!;
    private readonly Dictionary<string, long> dataFileLengths = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="dataType"/> is a TensorProto.DataType ONNX defines (1–24).</summary>
    public static bool KnownDataType(int dataType) => dataType is >= 1 and <= 24;

    /// <summary>Checks a dense tensor found at <paramref name="at"/>.</summary>
    public void Check(TensorProto t, string at)
    {
        if (!KnownDataType(t.DataType))
            throw new ModelFormatException($"expected a known ONNX data type for tensor '{t.Name}', found {t.DataType}", file, at);
        long count = ElementCount(t.Dims, t.Name, at);
        bool external = t.DataLocation == TensorProto.Types.DataLocation.External || t.ExternalData.Count > 0;
        long typed = (long)t.FloatData.Count + t.Int32Data.Count + t.StringData.Count + t.Int64Data.Count + t.DoubleData.Count + t.Uint64Data.Count;
        if (external)
        {
            if (!t.RawData.IsEmpty || typed > 0)
                throw new UnsafeModelException($"expected tensor '{t.Name}' to store its data in one place, found external data and inline data", file, at);
            CheckExternal(t, ByteCount(t.DataType, count, t.Name, at), at);
            return;
        }
        if (!t.RawData.IsEmpty || typed == 0)
        {
            if (t.DataType == String && count > 0)
                throw new ModelFormatException($"expected string tensor '{t.Name}' to store string_data, found raw bytes or nothing", file, at);
            long expected = t.DataType == String ? 0 : ByteCount(t.DataType, count, t.Name, at);
            if (typed > 0 || t.RawData.Length != expected)
                throw new UnsafeModelException($"expected tensor '{t.Name}' [{string.Join(",", t.Dims)}] of data type {t.DataType} to store {expected} bytes, found {t.RawData.Length} raw bytes and {typed} typed values", file, at);
            return;
        }
        var (field, stored, wanted) = TypedField(t, count);
        if (stored != wanted || typed != stored)
            throw new UnsafeModelException($"expected tensor '{t.Name}' [{string.Join(",", t.Dims)}] of data type {t.DataType} to store {wanted} values in {field}, found {stored} there and {typed - stored} elsewhere", file, at);
    }

    /// <summary>Checks a sparse tensor: its values and indices tensors, its dense dims, and every index inside them.</summary>
    public void CheckSparse(SparseTensorProto s, string at)
    {
        if (s.Values is null || s.Indices is null)
            throw new ModelFormatException("expected a sparse tensor with values and indices, found one missing", file, at);
        Check(s.Values, at + "/values");
        Check(s.Indices, at + "/indices");
        long dense = ElementCount(s.Dims, s.Values.Name, at);
        if (s.Values.Dims.Count != 1)
            throw new ModelFormatException($"expected 1-D sparse values, found {s.Values.Dims.Count} dims", file, at);
        long nnz = s.Values.Dims[0];
        if (s.Indices.DataType != 7)
            throw new ModelFormatException($"expected int64 sparse indices, found data type {s.Indices.DataType}", file, at);
        var idx = s.Indices.Int64Data.Count > 0 ? s.Indices.Int64Data.ToArray() : ReadInt64(s.Indices.RawData.Span);
        bool linear = s.Indices.Dims.Count == 1 && s.Indices.Dims[0] == nnz;
        bool coords = s.Indices.Dims.Count == 2 && s.Indices.Dims[0] == nnz && s.Indices.Dims[1] == s.Dims.Count;
        if (!linear && !coords)
            throw new ModelFormatException($"expected sparse indices of shape [{nnz}] or [{nnz},{s.Dims.Count}], found [{string.Join(",", s.Indices.Dims)}]", file, at);
        for (int i = 0; i < idx.Length; i++)
        {
            long bound = linear ? dense : s.Dims[i % s.Dims.Count];
            if (idx[i] < 0 || idx[i] >= bound)
                throw new UnsafeModelException($"expected sparse index {i} inside [0, {bound}), found {idx[i]}", file, at);
        }
    }

    private long ElementCount(IList<long> dims, string name, string at)
    {
        long n = 1;
        foreach (var d in dims)
        {
            if (d < 0) throw new ModelFormatException($"expected tensor '{name}' to have dims of 0 or more, found [{string.Join(",", dims)}]", file, at);
            if (d != 0 && n > long.MaxValue / 16 / d)
                throw new UnsafeModelException($"expected tensor '{name}' to have a size that fits in memory, found dims [{string.Join(",", dims)}]", file, at);
            n *= d;
        }
        return n;
    }

    private long ByteCount(int dataType, long count, string name, string at) => dataType switch
    {
        String => throw new ModelFormatException($"expected string tensor '{name}' to store string_data, found raw or external data", file, at),
        1 or 6 or 12 => count * 4,
        2 or 3 or 9 or (>= 17 and <= 20) or 24 => count,
        4 or 5 or 10 or 16 => count * 2,
        7 or 11 or 13 or 14 => count * 8,
        15 => count * 16,
        _ => (count + 1) / 2, // 21-23: 4-bit types, two per byte
    };

    private static (string Field, long Stored, long Wanted) TypedField(TensorProto t, long n) => t.DataType switch
    {
        1 => ("float_data", t.FloatData.Count, n),
        14 => ("float_data", t.FloatData.Count, 2 * n),
        String => ("string_data", t.StringData.Count, n),
        7 => ("int64_data", t.Int64Data.Count, n),
        11 => ("double_data", t.DoubleData.Count, n),
        15 => ("double_data", t.DoubleData.Count, 2 * n),
        12 or 13 => ("uint64_data", t.Uint64Data.Count, n),
        >= 21 and <= 23 => ("int32_data", t.Int32Data.Count, (n + 1) / 2),
        _ => ("int32_data", t.Int32Data.Count, n),
    };

    private void CheckExternal(TensorProto t, long bytes, string at)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in t.ExternalData)
            if (!entries.TryAdd(e.Key, e.Value))
                throw new ModelFormatException($"expected each external_data key once for tensor '{t.Name}', found '{e.Key}' twice", file, at);
        if (!entries.TryGetValue("location", out var location) || location.Length == 0)
            throw new ModelFormatException($"expected tensor '{t.Name}' to name its external data file, found no location", file, at);
        var dataPath = Confine(location, t.Name, at);
        long offset = Number(entries, "offset", 0, t.Name, at);
        long length = Number(entries, "length", bytes, t.Name, at);
        if (length != bytes)
            throw new UnsafeModelException($"expected tensor '{t.Name}' [{string.Join(",", t.Dims)}] to have {bytes} bytes of external data, found length {length}", file, at);
        long size = DataFileLength(dataPath, at);
        if (offset > size || bytes > size - offset)
            throw new UnsafeModelException($"expected tensor '{t.Name}' to find its external data at bytes {offset}..{offset + bytes} of '{location}', found a file of {size} bytes", file, at);
    }

    /// <summary>The data file's full path, refused unless it lies inside the model's folder (links resolved).</summary>
    private string Confine(string location, string name, string at)
    {
        bool escapes = Path.IsPathRooted(location) || location.Contains(':', StringComparison.Ordinal) || location.Contains('\\', StringComparison.Ordinal)
            || location.Contains('\0', StringComparison.Ordinal) || location.Split('/').Any(p => p == "..");
        var full = escapes ? null : Path.GetFullPath(Path.Combine(folder, location));
        if (full is not null && File.Exists(full) && new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target)
            full = target.FullName;
        if (full is null || !full.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new UnsafeModelException($"expected tensor '{name}' to keep its external data in the model's folder, found location '{location}'", file, at);
        return full;
    }

    private long Number(Dictionary<string, string> entries, string key, long absent, string name, string at)
    {
        if (!entries.TryGetValue(key, out var text)) return absent;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            throw new ModelFormatException($"expected external_data '{key}' of tensor '{name}' to be a number of 0 or more, found '{text}'", file, at);
        return v;
    }

    private long DataFileLength(string path, string at)
    {
        if (dataFileLengths.TryGetValue(path, out var n)) return n;
        var info = new FileInfo(path);
        if (!info.Exists) throw new ModelFormatException($"expected the external data file '{Path.GetFileName(path)}' beside the model, found none", file, at);
        return dataFileLengths[path] = info.Length;
    }

    private static long[] ReadInt64(ReadOnlySpan<byte> raw)
    {
        var v = new long[raw.Length / 8];
        for (int i = 0; i < v.Length; i++) v[i] = BinaryPrimitives.ReadInt64LittleEndian(raw[(8 * i)..]);
        return v;
    }
}
