using System.Text;
using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Yaml;

namespace Zoo.Formats.Tests.Fuzzing;

/// <summary>Structural mutations of a JSON architecture file (<c>model.to_json()</c>).</summary>
public sealed class JsonStructuralMutator : IStructuralMutator
{
    /// <inheritdoc/>
    public FuzzInput? Mutate(FuzzInput input, Random random)
    {
        var text = JsonMutator.MutateText(Encoding.UTF8.GetString(input.Bytes), random, out var what);
        return text is null ? null : input.With("json:" + what, Encoding.UTF8.GetBytes(text));
    }
}

/// <summary>
/// Structural mutations of a YAML architecture file: the JSON mutations written back through our YAML
/// writer, plus YAML's own hazards (alias bombs, python object tags, deep flow nesting, huge anchors).
/// </summary>
public sealed class YamlStructuralMutator : IStructuralMutator
{
    private static readonly string[] Hazards =
    [
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n",
        "class_name: !!python/object/apply:os.system ['echo pwned']\nconfig: {}\n",
        "class_name: !!python/name:builtins.eval\nconfig: {}\n",
        "class_name: Sequential\nconfig: !custom {layers: []}\n",
        "class_name: Sequential\nconfig:\n  layers: &l [*l]\n",
        "class_name: Sequential\nconfig: {name: x, layers: [{class_name: Dense, config: {name: d, units: 99999999999999999999999}}]}\n",
        "class_name: Sequential\nconfig: {name: x, layers: [{class_name: Dense, config: {name: d, units: !!int 'abc'}}]}\n",
        "--- a\n--- b\n",
        "? [complex, key]\n: value\n",
    ];

    /// <inheritdoc/>
    public FuzzInput? Mutate(FuzzInput input, Random random)
    {
        switch (random.Next(6))
        {
            case 0:
                return input.With("yaml:hazard", Encoding.UTF8.GetBytes(Hazards[random.Next(Hazards.Length)]));
            case 1:
            {
                int depth = random.Next(2) == 0 ? 600 : 50_000;
                var deep = "class_name: Sequential\nconfig: " + new string('[', depth) + new string(']', depth) + "\n";
                return input.With($"yaml:deep{depth}", Encoding.UTF8.GetBytes(deep));
            }
            default:
                JsonNode root;
                try { root = KerasYaml.Parse(Encoding.UTF8.GetString(input.Bytes)); }
                catch (ZooException) { return null; }
                var what = JsonMutator.MutateTree(root, random);
                return input.With("yaml:" + what, Encoding.UTF8.GetBytes(KerasYamlWriter.Serialize(root)));
        }
    }
}

/// <summary>
/// Structural mutations of a tfjs <c>model.json</c>: JSON mutations anywhere, and targeted lies in the
/// weights manifest (shard paths escaping the folder, huge or negative shapes, wrong dtypes, quantization).
/// </summary>
public sealed class TfjsStructuralMutator : IStructuralMutator
{
    private static readonly string[] EvilPaths = ["../secret.bin", "/etc/passwd", "a\\..\\b.bin", "", "sub/../../x.bin", "group1-shard1of1.bin/.."];

    /// <inheritdoc/>
    public FuzzInput? Mutate(FuzzInput input, Random random)
    {
        JsonNode root;
        try { root = KerasJson.Parse(Encoding.UTF8.GetString(input.Bytes)); }
        catch (ZooException) { return null; }
        string what;
        var weights = (root["weightsManifest"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (weights.Count > 0 && random.Next(2) == 0)
        {
            var group = weights[random.Next(weights.Count)];
            var entries = (group["weights"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            switch (random.Next(5))
            {
                case 0:
                    group["paths"] = new JsonArray(JsonValue.Create(EvilPaths[random.Next(EvilPaths.Length)]));
                    what = "evilpath";
                    break;
                case 1 when entries.Count > 0:
                    entries[random.Next(entries.Count)]["shape"] = random.Next(3) switch
                    {
                        0 => new JsonArray(JsonValue.Create(1L << 40), JsonValue.Create(1L << 40)),
                        1 => new JsonArray(JsonValue.Create(-3), JsonValue.Create(5)),
                        _ => new JsonArray(JsonValue.Create(1L << 61)),
                    };
                    what = "hugeshape";
                    break;
                case 2 when entries.Count > 0:
                    entries[random.Next(entries.Count)]["dtype"] = random.Next(2) == 0 ? "complex64" : "string";
                    what = "dtype";
                    break;
                case 3 when entries.Count > 0:
                    entries[random.Next(entries.Count)]["quantization"] = JsonNode.Parse(
                        random.Next(2) == 0 ? "{\"dtype\": \"uint8\", \"scale\": 1e308, \"min\": -1e308}" : "{\"dtype\": \"int4\"}");
                    what = "quant";
                    break;
                default:
                    what = JsonMutator.MutateTree(group, random);
                    break;
            }
        }
        else
        {
            what = JsonMutator.MutateTree(root, random);
        }
        return input.With("tfjs:" + what, Encoding.UTF8.GetBytes(KerasJson.Serialize(root)));
    }
}
