using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Zoo.Formats.Yaml;

/// <summary>
/// YAML as Keras's <c>to_yaml</c> wrote it (PyYAML, YAML 1.1). Accepts the <c>!!python/tuple</c> tags and
/// <c>&amp;id001</c> anchors/aliases Keras emitted; refuses every other <c>!!python/...</c> tag, since those
/// are how PyYAML's unsafe loader runs code.
/// </summary>
public static partial class KerasYaml
{
    private const string PythonTagPrefix = "tag:yaml.org,2002:python/";
    private const string TupleTag = "tag:yaml.org,2002:python/tuple";
    /// <summary>Nodes allowed beyond one per character of text: aliases may repeat a little (Keras's shared tuples), never explode.</summary>
    private const int AliasAllowance = 100_000;
    private const int MaxDepth = 512;

    /// <summary>Parses YAML text into JSON nodes (the same shape <c>to_json</c> would have given).</summary>
    public static JsonNode Parse(string text, string? file = null)
    {
        var stream = new YamlStream();
        try
        {
            RequireShallow(text, file);
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ModelFormatException($"expected valid YAML, found a syntax error at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", file, "yaml");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet reports some malformed inputs with these rather than YamlException.
            throw new ModelFormatException($"expected valid YAML, found malformed input: {e.Message}", file, "yaml", e);
        }
        if (stream.Documents.Count != 1)
            throw new ModelFormatException($"expected one YAML document, found {stream.Documents.Count}", file, "yaml");
        int budget = AliasAllowance + text.Length;
        return Convert(stream.Documents[0].RootNode, file, "", ref budget, 0)
               ?? throw new ModelFormatException("expected a YAML mapping, found null", file, "yaml");
    }

    /// <summary>
    /// Walks the event stream (YamlDotNet's parser is iterative) and refuses deep nesting before the
    /// representation model is built: that builder recurses once per level, and a few thousand '[' in a
    /// small file overflow the stack, which kills the process rather than throwing.
    /// </summary>
    private static void RequireShallow(string text, string? file)
    {
        var parser = new Parser(new StringReader(text));
        int depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart:
                    if (++depth > MaxDepth)
                        throw new UnsafeModelException($"expected YAML nesting at most {MaxDepth} deep, found deeper", file, "yaml");
                    break;
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                    depth--;
                    break;
            }
        }
    }

    private static JsonNode? Convert(YamlNode node, string? file, string path, ref int budget, int depth)
    {
        if (--budget < 0) throw new UnsafeModelException($"expected at most {AliasAllowance} YAML nodes more than the text has characters after resolving aliases, found more (alias bomb?)", file, path);
        if (depth > MaxDepth) throw new UnsafeModelException($"expected YAML nesting at most {MaxDepth} deep, found deeper", file, path);
        var tag = CheckTag(node, file, path);
        switch (node)
        {
            case YamlMappingNode m:
                var o = new JsonObject();
                foreach (var (k, v) in m.Children)
                {
                    // A key's tag is as live as a value's to PyYAML's unsafe loader: !!python/name:os.system as a key runs too.
                    CheckTag(k, file, path);
                    if (k is not YamlScalarNode ks || ks.Value is null)
                        throw new ModelFormatException("expected scalar mapping keys, found a complex key", file, path);
                    o[ks.Value] = Convert(v, file, $"{path}/{ks.Value}", ref budget, depth + 1);
                }
                return o;
            case YamlSequenceNode s:
                var a = new JsonArray();
                int i = 0;
                foreach (var c in s.Children) a.Add(Convert(c, file, $"{path}/{i++}", ref budget, depth + 1));
                return a;
            case YamlScalarNode sc:
                return Scalar(sc, tag, file, path);
            default:
                throw new ModelFormatException($"expected a YAML mapping, sequence or scalar, found {node.NodeType}", file, path);
        }
    }

    /// <summary>The node's tag (null when untagged); refuses every tag Keras's to_yaml never wrote.</summary>
    private static string? CheckTag(YamlNode node, string? file, string path)
    {
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        if (tag is not null && tag.StartsWith(PythonTagPrefix, StringComparison.Ordinal) && tag != TupleTag)
            throw new UnsafeModelException($"refused YAML tag '!!{tag["tag:yaml.org,2002:".Length..]}': only !!python/tuple, which Keras's to_yaml wrote, is accepted", file, path);
        if (tag is not null && !tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal))
            throw new UnsafeModelException($"refused YAML tag '{tag}': Keras never wrote application tags", file, path);
        return tag;
    }

    private static JsonNode? Scalar(YamlScalarNode sc, string? tag, string? file, string path)
    {
        var v = sc.Value ?? "";
        if (tag == "tag:yaml.org,2002:str" || (tag is null && sc.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded))
            return JsonValue.Create(v);
        if (NullRx().IsMatch(v)) return null;
        if (BoolTrueRx().IsMatch(v)) return JsonValue.Create(true);
        if (BoolFalseRx().IsMatch(v)) return JsonValue.Create(false);
        if (IntRx().IsMatch(v))
        {
            var digits = v.Replace("_", "");
            if (long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonNode.Parse(l.ToString(CultureInfo.InvariantCulture));
            return JsonNumber(digits.TrimStart('+'), v, file, path);
        }
        if (FloatRx().IsMatch(v))
        {
            return JsonNumber(YamlFloatAsJson(v), v, file, path);
        }
        var lower = v.ToLowerInvariant();
        if (lower is ".nan") return JsonValue.Create(Config.KerasJson.NonFiniteMarker + "NaN");
        if (lower is ".inf" or "+.inf") return JsonValue.Create(Config.KerasJson.NonFiniteMarker + "Infinity");
        if (lower is "-.inf") return JsonValue.Create(Config.KerasJson.NonFiniteMarker + "-Infinity");
        if (tag is "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float")
            throw new ModelFormatException($"expected a number for tag !!{tag[18..]}, found '{v}'", file, path);
        return JsonValue.Create(v);
    }

    /// <summary>
    /// A YAML 1.1 float in JSON's number syntax: no '+' or '_', no leading zeros (<c>01.0</c> is 1.0 to
    /// PyYAML but not a JSON number), digits on both sides of the point.
    /// </summary>
    private static string YamlFloatAsJson(string v)
    {
        var t = v.Replace("_", "").TrimStart('+');
        bool negative = t.StartsWith('-');
        if (negative) t = t[1..];
        int point = t.IndexOf('.');
        var whole = t[..point].TrimStart('0');
        t = (whole.Length == 0 ? "0" : whole) + t[point..];
        if (t.EndsWith('.')) t += "0";
        t = t.Replace(".e", ".0e").Replace(".E", ".0E");
        return negative ? "-" + t : t;
    }

    private static JsonNode JsonNumber(string json, string yaml, string? file, string path)
    {
        try
        {
            return JsonNode.Parse(json)!;
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"expected a number, found '{(yaml.Length > 64 ? yaml[..64] + "…" : yaml)}'", file, path, e);
        }
    }

    // YAML 1.1 core resolution as PyYAML does it (the loader Keras's files were written for).
    [GeneratedRegex(@"^(~|null|Null|NULL|)$")] private static partial Regex NullRx();
    [GeneratedRegex(@"^(yes|Yes|YES|true|True|TRUE|on|On|ON)$")] private static partial Regex BoolTrueRx();
    [GeneratedRegex(@"^(no|No|NO|false|False|FALSE|off|Off|OFF)$")] private static partial Regex BoolFalseRx();
    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9_]*)$")] private static partial Regex IntRx();
    [GeneratedRegex(@"^[-+]?([0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)([eE][-+][0-9]+)?$")] private static partial Regex FloatRx();
}
