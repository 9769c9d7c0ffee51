using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Zoo.Formats.Ir;

namespace Zoo.Formats.IO;

/// <summary>The parsed <c>.npy</c> header: element type, byte order, memory order and shape.</summary>
internal sealed record NpyHeader(DType DType, bool BigEndian, bool FortranOrder, long[] Shape)
{
    private static readonly Regex Descr = new(@"['""]descr['""]\s*:\s*['""]([<>|=])([a-zA-Z])([0-9]+)['""]", RegexOptions.CultureInvariant);
    private static readonly Regex Fortran = new(@"['""]fortran_order['""]\s*:\s*(True|False)", RegexOptions.CultureInvariant);
    private static readonly Regex ShapeRx = new(@"['""]shape['""]\s*:\s*\(([^)]*)\)", RegexOptions.CultureInvariant);

    /// <summary>Parses the Python-literal header dict; <paramref name="file"/> names the source in errors.</summary>
    public static NpyHeader Parse(string text, string? file)
    {
        var d = Descr.Match(text);
        var f = Fortran.Match(text);
        var s = ShapeRx.Match(text);
        if (!d.Success || !f.Success || !s.Success)
            throw new ModelFormatException($"expected an .npy header with descr, fortran_order and shape, found '{text.Trim()}'", file, "header");
        var kind = d.Groups[2].Value;
        if (!int.TryParse(d.Groups[3].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int size))
            throw new UnsafeModelException($"expected an element size that fits in 32 bits, found '{d.Groups[3].Value}'", file, "header/descr");
        DType? dtype = (kind, size) switch
        {
            ("f", 2) => DType.Float16, ("f", 4) => DType.Float32, ("f", 8) => DType.Float64,
            ("i", 1) => DType.Int8, ("i", 2) => DType.Int16, ("i", 4) => DType.Int32, ("i", 8) => DType.Int64,
            ("u", 1) => DType.UInt8, ("u", 2) => DType.UInt16, ("u", 4) => DType.UInt32, ("u", 8) => DType.UInt64,
            ("b", 1) => DType.Bool,
            _ => null,
        };
        if (dtype is null)
            throw new UnsupportedFeatureException($"expected a numeric or bool .npy dtype, found '{d.Groups[1].Value}{kind}{size}'", file, "header/descr");
        var dims = s.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => long.TryParse(t.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
                : throw new ModelFormatException($"expected non-negative integer dimensions, found '{t}'", file, "header/shape"))
            .ToArray();
        bool big = d.Groups[1].Value == ">" && size > 1;
        return new(dtype.Value, big, f.Groups[1].Value == "True", dims);
    }

    /// <summary>The header text for a little-endian C-order array (padded so data starts on a 64-byte boundary by the writer).</summary>
    public static string Format(DType t, long[] shape)
    {
        string descr = t switch
        {
            DType.Bool => "|b1",
            DType.Int8 => "|i1",
            DType.UInt8 => "|u1",
            DType.BFloat16 => throw new UnsupportedFeatureException("NumPy has no bfloat16 dtype; convert to float32 first"),
            _ => "<" + (t.IsFloat() ? "f" : t.KerasName().StartsWith('u') ? "u" : "i") + t.Size().ToString(CultureInfo.InvariantCulture),
        };
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var sb = new StringBuilder();
        sb.Append("{'descr': '").Append(descr).Append("', 'fortran_order': False, 'shape': (").Append(dims).Append("), }");
        return sb.ToString();
    }
}
