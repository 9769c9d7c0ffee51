using System.IO.Compression;
using System.Text.Json.Nodes;
using PureHDF;
using YamlDotNet.RepresentationModel;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.Dialects.Support;

/// <summary>
/// Pulls the model config and recorded Keras version out of every fixture kind that has one
/// (JSON, YAML, HDF5 root attributes, tfjs topology, .keras archive), straight from the files, so the
/// dialect tests do not wait for the format readers.
/// </summary>
internal static class ConfigFixtures
{
    /// <summary>Manifest kinds that carry a model config.</summary>
    public static readonly string[] Kinds = ["json-arch", "yaml-arch", "h5-full", "tfjs-model", "keras3-archive"];

    /// <summary>MemberData: every fixture with a model config.</summary>
    public static IEnumerable<object[]> All() => Fixtures.OfKinds(Kinds);

    /// <summary>The model config and the Keras version the file itself records (null when it records none).</summary>
    public static (JsonObject Config, string? Version) Load(string localPath)
    {
        var path = Fixtures.Path(localPath);
        var kind = Fixtures.Manifest().Single(r => r.LocalPath == localPath).Kind;
        switch (kind)
        {
            case "json-arch":
            {
                var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
                return (root, root["keras_version"]?.GetValue<string>());
            }
            case "yaml-arch":
            {
                var root = Yaml(File.ReadAllText(path)).AsObject();
                return (root, root["keras_version"]?.GetValue<string>());
            }
            case "tfjs-model":
            {
                var topology = JsonNode.Parse(File.ReadAllText(path))!["modelTopology"]!.AsObject();
                return ((topology["model_config"] ?? topology).AsObject(), topology["keras_version"]?.GetValue<string>());
            }
            case "keras3-archive":
            {
                using var zip = ZipFile.OpenRead(path);
                string entry(string n) { using var r = new StreamReader(zip.GetEntry(n)!.Open()); return r.ReadToEnd(); }
                var meta = JsonNode.Parse(entry("metadata.json"))!;
                return (JsonNode.Parse(entry("config.json"))!.AsObject(), meta["keras_version"]?.GetValue<string>());
            }
            case "h5-full":
            {
                using var file = H5File.OpenRead(path);
                string? attr(string n) => file.AttributeExists(n) ? AttributeString(file.Attribute(n)) : null;
                return (JsonNode.Parse(attr("model_config")!)!.AsObject(), attr("keras_version"));
            }
            default:
                throw new ArgumentException($"{localPath}: kind {kind} has no model config");
        }
    }

    private static string AttributeString(IH5Attribute a)
    {
        try { return a.Read<string>(); }
        catch (Exception) { return System.Text.Encoding.UTF8.GetString(a.Read<byte[]>()).TrimEnd('\0'); }
    }

    /// <summary>YAML (as Keras's to_yaml wrote it, python tuples included) → JSON.</summary>
    public static JsonNode Yaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return Convert(stream.Documents[0].RootNode)!;
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(Convert).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } p => Plain(p.Value ?? ""),
        YamlScalarNode q => JsonValue.Create(q.Value),
        _ => null,
    };

    private static JsonNode? Plain(string v)
    {
        if (v is "" or "null" or "~") return null;
        if (v is "true" or "True") return true;
        if (v is "false" or "False") return false;
        if (long.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var l)) return l;
        if (double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)) return d;
        return v;
    }
}
