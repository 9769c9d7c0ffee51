using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Zoo.Formats.Config;

/// <summary>
/// JSON text as Keras writes it (Python's <c>json.dumps</c>): accepts the <c>NaN</c>/<c>Infinity</c>
/// literals Python emits, keeps number text verbatim, and writes with Python's separators and
/// ASCII escaping so our files look like Keras's own.
/// </summary>
public static class KerasJson
{
    // Python writes bare NaN/Infinity; System.Text.Json refuses them. They become marked strings on
    // read and bare literals again on write, so they survive a round trip unchanged.
    internal const string NonFiniteMarker = "\u0001zoo-nonfinite:";

    // Duplicate keys are refused while parsing: JsonObject would otherwise throw an untyped
    // ArgumentException later, on first access, outside any reader's error handling.
    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 256, AllowTrailingCommas = false, AllowDuplicateProperties = false };

    /// <summary>Parses JSON text; errors name <paramref name="file"/> and the position.</summary>
    public static JsonNode Parse(string text, string? file = null, string? objectPath = null)
    {
        try
        {
            var node = JsonNode.Parse(ProtectNonFinite(text), documentOptions: ReadOptions);
            RequireWellFormedStrings(node, file, objectPath);
            return node ?? throw new ModelFormatException("expected a JSON value, found null", file, objectPath);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"expected valid JSON, found a syntax error at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {FirstLine(e.Message)}", file, objectPath, e);
        }
    }

    /// <summary>
    /// Decodes every string and property name once, so that an escaped lone UTF-16 surrogate (<c>"\ud800"</c>,
    /// which Python writes and System.Text.Json parses but refuses to turn into a string) is reported here
    /// as bad input rather than later, deep in a reader, as an internal error. Iterative: depth is capped by the parser.
    /// </summary>
    private static void RequireWellFormedStrings(JsonNode? root, string? file, string? objectPath)
    {
        var pending = new Stack<JsonNode?>();
        pending.Push(root);
        try
        {
            while (pending.Count > 0)
            {
                switch (pending.Pop())
                {
                    case JsonObject o:
                        foreach (var (_, v) in o) pending.Push(v);
                        break;
                    case JsonArray a:
                        foreach (var v in a) pending.Push(v);
                        break;
                    case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                        v.GetValue<string>();
                        break;
                }
            }
        }
        catch (InvalidOperationException e)
        {
            throw new ModelFormatException($"expected well-formed text in every JSON string, found an unpaired UTF-16 surrogate escape ({FirstLine(e.Message)})", file, objectPath, e);
        }
    }

    /// <summary>Serializes like Python's <c>json.dumps</c> (", " and ": " separators, non-ASCII escaped).</summary>
    public static string Serialize(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject o:
                sb.Append('{');
                bool first = true;
                foreach (var (k, v) in o)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    WriteString(sb, k);
                    sb.Append(": ");
                    Write(sb, v);
                }
                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('[');
                for (int i = 0; i < a.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Write(sb, a[i]);
                }
                sb.Append(']');
                break;
            case JsonValue v:
                WriteValue(sb, v);
                break;
        }
    }

    private static void WriteValue(StringBuilder sb, JsonValue v)
    {
        switch (v.GetValueKind())
        {
            case JsonValueKind.String:
                var s = v.GetValue<string>();
                if (s.StartsWith(NonFiniteMarker, StringComparison.Ordinal)) sb.Append(s[NonFiniteMarker.Length..]);
                else WriteString(sb, s);
                break;
            case JsonValueKind.True: sb.Append("true"); break;
            case JsonValueKind.False: sb.Append("false"); break;
            case JsonValueKind.Null: sb.Append("null"); break;
            case JsonValueKind.Number:
                sb.Append(NumberText(v));
                break;
            default:
                sb.Append(v.ToJsonString());
                break;
        }
    }

    /// <summary>The number's text as read (so 0.0010000000474974513 stays exactly that), or a round-trip form for computed values.</summary>
    internal static string NumberText(JsonValue v)
    {
        if (v.TryGetValue(out JsonElement e)) return e.GetRawText();
        if (v.TryGetValue(out long l)) return l.ToString(CultureInfo.InvariantCulture);
        if (v.TryGetValue(out int i)) return i.ToString(CultureInfo.InvariantCulture);
        if (v.TryGetValue(out double d)) return PythonFloat(d);
        if (v.TryGetValue(out float f)) return PythonFloat(f);
        return v.ToJsonString();
    }

    /// <summary>Python's repr of a float: always a decimal point or exponent, <c>NaN</c>/<c>Infinity</c> for non-finite.</summary>
    public static string PythonFloat(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsPositiveInfinity(d)) return "Infinity";
        if (double.IsNegativeInfinity(d)) return "-Infinity";
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        if (r.Contains('E'))
        {
            // Python: 1e-05, 1.5e+20
            var parts = r.Split('E');
            var exp = int.Parse(parts[1], CultureInfo.InvariantCulture);
            return $"{parts[0]}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
        }
        return r.Contains('.') ? r : r + ".0";
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    private static string ProtectNonFinite(string text)
    {
        if (text.IndexOf("NaN", StringComparison.Ordinal) < 0 && text.IndexOf("Infinity", StringComparison.Ordinal) < 0) return text;
        var sb = new StringBuilder(text.Length + 64);
        bool inString = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\' && i + 1 < text.Length) sb.Append(text[++i]);
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') { inString = true; sb.Append(c); continue; }
            string? lit = Match(text, i, "-Infinity") ?? Match(text, i, "Infinity") ?? Match(text, i, "NaN");
            if (lit is not null)
            {
                sb.Append('"').Append(NonFiniteMarker.Replace("\u0001", "\\u0001")).Append(lit).Append('"');
                i += lit.Length - 1;
                continue;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static string? Match(string text, int i, string lit)
        => string.CompareOrdinal(text, i, lit, 0, lit.Length) == 0 ? lit : null;

    private static string FirstLine(string s) => s.Split('\n')[0];
}
