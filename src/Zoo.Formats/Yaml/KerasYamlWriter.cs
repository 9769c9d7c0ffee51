using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Zoo.Formats.Config;

namespace Zoo.Formats.Yaml;

/// <summary>
/// Writes YAML the way Keras's <c>to_yaml</c> did (PyYAML block style, sorted keys, indentless
/// sequences), but with plain lists instead of <c>!!python/tuple</c> so that safe loaders accept it.
/// </summary>
public static partial class KerasYamlWriter
{
    /// <summary>Serializes a JSON tree as YAML text.</summary>
    public static string Serialize(JsonNode node)
    {
        var lines = new List<string>();
        Render(node, 0, lines);
        var sb = new StringBuilder();
        foreach (var l in lines) sb.Append(l).Append('\n');
        return sb.ToString();
    }

    private static void Render(JsonNode? node, int indent, List<string> lines)
    {
        var pad = new string(' ', indent);
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                foreach (var (k, v) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    var key = pad + Scalar(JsonValue.Create(k)) + ":";
                    if (v is JsonObject vo && vo.Count > 0) { lines.Add(key); Render(v, indent + 2, lines); }
                    else if (v is JsonArray va && va.Count > 0) { lines.Add(key); Render(v, indent, lines); }
                    else lines.Add(key + " " + Inline(v));
                }
                break;
            case JsonArray a when a.Count > 0:
                foreach (var item in a)
                {
                    if (item is JsonObject io && io.Count > 0 || item is JsonArray ia && ia.Count > 0)
                    {
                        var sub = new List<string>();
                        Render(item, indent + 2, sub);
                        lines.Add(pad + "- " + sub[0][(indent + 2)..]);
                        lines.AddRange(sub.Skip(1));
                    }
                    else lines.Add(pad + "- " + Inline(item));
                }
                break;
            default:
                lines.Add(pad + Inline(node));
                break;
        }
    }

    private static string Inline(JsonNode? n) => n switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue v => Scalar(v),
        _ => "null",
    };

    private static string Scalar(JsonValue v)
    {
        switch (v.GetValueKind())
        {
            case JsonValueKind.True: return "true";
            case JsonValueKind.False: return "false";
            case JsonValueKind.Null: return "null";
            case JsonValueKind.Number: return YamlNumber(KerasJson.NumberText(v));
            case JsonValueKind.String:
                var s = v.GetValue<string>();
                if (s.StartsWith(KerasJson.NonFiniteMarker, StringComparison.Ordinal))
                    return s[KerasJson.NonFiniteMarker.Length..] switch { "NaN" => ".nan", "Infinity" => ".inf", _ => "-.inf" };
                return QuoteString(s);
            default: return v.ToJsonString();
        }
    }

    // PyYAML (YAML 1.1) reads "1e-05" as a string: a float needs a dot and a signed exponent.
    private static string YamlNumber(string t)
    {
        int e = t.IndexOfAny(['e', 'E']);
        if (e < 0) return t;
        var mant = t[..e];
        var exp = t[(e + 1)..];
        if (!mant.Contains('.')) mant += ".0";
        if (exp[0] is not ('+' or '-')) exp = "+" + exp;
        return mant + "e" + exp;
    }

    private static string QuoteString(string s)
    {
        if (s.Length > 0 && PlainSafeRx().IsMatch(s) && !ResolvesToNonString(s)) return s;
        bool needsDouble = s.Any(c => c < 0x20 || c > 0x7e);
        if (!needsDouble) return "'" + s.Replace("'", "''") + "'";
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c < 0x20 || c > 0x7e) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    private static bool ResolvesToNonString(string s)
        => ReservedRx().IsMatch(s) || NumberLikeRx().IsMatch(s);

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-/]*$")] private static partial Regex PlainSafeRx();
    [GeneratedRegex(@"^(~|null|Null|NULL|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|y|Y|n|N)$")] private static partial Regex ReservedRx();
    [GeneratedRegex(@"^[-+.0-9]")] private static partial Regex NumberLikeRx();
}
