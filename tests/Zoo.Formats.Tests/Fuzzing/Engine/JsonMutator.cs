using System.Text;
using System.Text.Json.Nodes;
using Zoo.Formats.Config;

namespace Zoo.Formats.Tests.Fuzzing;

/// <summary>
/// Structural JSON mutations on a Keras config: a random node replaced by a huge, negative or non-integer
/// number, a value of the wrong type, deep arrays, a giant string; layer names duplicated; inbound nodes
/// pointing at themselves or at later layers (cycles); keys removed; and text-level duplicate keys.
/// Also drives YAML (through our YAML writer), tfjs model.json and the config inside .keras archives.
/// </summary>
public static class JsonMutator
{
    private static readonly string[] HugeNumbers =
    [
        "1e999", "-1e999", "123456789012345678901234567890", "9223372036854775807", "-9223372036854775808",
        "4294967296", "2147483648", "-1", "-2147483649", "0", "1.5", "1e-999", "18446744073709551615",
    ];

    /// <summary>Mutates a parsed JSON tree in place (1–3 edits) and says what it did.</summary>
    public static string MutateTree(JsonNode root, Random r)
    {
        var names = new List<string>();
        int n = 1 + r.Next(3);
        for (int i = 0; i < n; i++) names.Add(MutateOnce(root, r));
        return string.Join(",", names);
    }

    /// <summary>Parses <paramref name="text"/>, mutates it and serializes it back; occasionally mutates the text itself.</summary>
    public static string? MutateText(string text, Random r, out string what)
    {
        JsonNode root;
        try { root = KerasJson.Parse(text); }
        catch (ZooException) { what = ""; return null; }
        switch (r.Next(10))
        {
            case 0:
                what = "dupkey";
                return DuplicateKey(KerasJson.Serialize(root), r);
            case 1:
                what = "deeptext";
                return InsertDeepArray(KerasJson.Serialize(root), r);
            default:
                what = MutateTree(root, r);
                return KerasJson.Serialize(root);
        }
    }

    private static string MutateOnce(JsonNode root, Random r)
    {
        var all = new List<JsonNode>();
        Collect(root, all);
        var layers = all.OfType<JsonObject>().Where(o => o["class_name"] is JsonValue && o["config"] is JsonObject).ToList();
        switch (r.Next(12))
        {
            case 0 when layers.Count >= 2:
            {
                var a = layers[r.Next(layers.Count)];
                var b = layers[r.Next(layers.Count)];
                var name = (a["config"]!["name"] as JsonValue)?.ToString() ?? "x";
                b["config"]!["name"] = name;
                if (b["name"] is not null) b["name"] = name;
                return "dupname";
            }
            case 1 when layers.Count >= 1:
            {
                // inbound_nodes that call the layer itself, or a later one: a cycle in the graph.
                var a = layers[r.Next(layers.Count)];
                var b = layers[r.Next(layers.Count)];
                var target = (b["config"]!["name"] as JsonValue)?.ToString() ?? "x";
                a["inbound_nodes"] = JsonNode.Parse($"[[[\"{Escape(target)}\", 0, 0, {{}}]]]");
                return "cycle";
            }
            case 2:
            {
                var victim = all[r.Next(all.Count)];
                if (victim.Parent is JsonObject p) { p.Remove(victim.GetPropertyName()); return "removekey"; }
                if (victim.Parent is JsonArray arr) { arr.Remove(victim); return "removeitem"; }
                return "noop";
            }
            default:
            {
                var victim = all[r.Next(all.Count)];
                if (victim.Parent is null) return "noop";
                var (replacement, what) = Replacement(r);
                Replace(victim, replacement);
                return what;
            }
        }
    }

    private static (JsonNode? Node, string What) Replacement(Random r) => r.Next(9) switch
    {
        0 or 1 or 2 => (JsonNode.Parse(HugeNumbers[r.Next(HugeNumbers.Length)].Replace("1e999", "1e308")), "number"),
        3 => (JsonValue.Create("s"), "string"),
        4 => (null, "null"),
        5 => (new JsonObject(), "object"),
        6 => (DeepArray(1 + r.Next(200)), "deeparray"),
        7 => (JsonValue.Create(new string('A', 1 << r.Next(10, 21))), "bigstring"),
        _ => (new JsonArray(JsonValue.Create(-1), JsonValue.Create(long.MaxValue), JsonValue.Create(0)), "badshape"),
    };

    private static JsonNode DeepArray(int depth)
    {
        JsonNode node = new JsonArray();
        for (int i = 1; i < depth; i++) node = new JsonArray(node);
        return node;
    }

    private static void Replace(JsonNode victim, JsonNode? replacement)
    {
        switch (victim.Parent)
        {
            case JsonObject p:
                p[victim.GetPropertyName()] = replacement;
                break;
            case JsonArray a:
                a[victim.GetElementIndex()] = replacement;
                break;
        }
    }

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        if (node is null) return;
        into.Add(node);
        if (node is JsonObject o) foreach (var (_, v) in o) Collect(v, into);
        else if (node is JsonArray a) foreach (var v in a) Collect(v, into);
    }

    private static string DuplicateKey(string text, Random r)
    {
        int at = text.IndexOf('{', r.Next(Math.Max(1, text.Length)));
        if (at < 0) at = text.IndexOf('{');
        return at < 0 ? text : text.Insert(at + 1, "\"name\": \"dup\", \"name\": 7, ");
    }

    /// <summary>Puts a raw array nested thousands deep (past any parser's depth cap) where a value goes.</summary>
    private static string InsertDeepArray(string text, Random r)
    {
        int depth = r.Next(2) == 0 ? 300 : 100_000;
        var deep = new StringBuilder().Append('[', depth).Append(']', depth).ToString();
        int at = text.IndexOf(": ", r.Next(Math.Max(1, text.Length)), StringComparison.Ordinal);
        if (at < 0) return deep;
        int end = at + 2;
        while (end < text.Length && text[end] is not (',' or '}' or ']')) end++;
        return text[..(at + 2)] + deep + text[end..];
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
