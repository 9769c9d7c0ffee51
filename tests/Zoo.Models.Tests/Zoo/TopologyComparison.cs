using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Zoo.Formats.Ir;
using Zoo.Formats.Summary;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.Models.Tests.ModelZoo;

/// <summary>
/// Compares two functional graphs layer by layer, in config order: class, name (automatic names
/// renumbered from zero per class, since Keras sessions count on across models), the config values that
/// decide the computation, inbound connections, and each layer's parameter count. Returns every difference.
/// </summary>
internal static class TopologyComparison
{
    public static readonly string[] KeyConfig =
    [
        "filters", "kernel_size", "strides", "padding", "dilation_rate", "activation", "use_bias", "units", "pool_size",
        "epsilon", "momentum", "center", "scale", "axis", "data_format", "rate", "groups",
    ];

    public static List<string> Differences(ModelGraph ours, ModelGraph theirs)
    {
        var diffs = new List<string>();
        if (ours.Layers.Count != theirs.Layers.Count) diffs.Add($"layer count {ours.Layers.Count} vs {theirs.Layers.Count}");
        var ourNames = Normalized(ours);
        var theirNames = Normalized(theirs);
        var ourRows = ModelSummary.Of(ours).Rows.ToDictionary(r => r.Name);
        var theirRows = ModelSummary.Of(theirs).Rows.ToDictionary(r => r.Name);
        for (int i = 0; i < Math.Min(ours.Layers.Count, theirs.Layers.Count); i++)
        {
            var (a, b) = (ours.Layers[i], theirs.Layers[i]);
            var where = $"#{i} {a.Name} / {b.Name}";
            if (a.ClassName != b.ClassName && !(a.ClassName == "Functional" && b.ClassName == "Model")) diffs.Add($"{where}: class {a.ClassName} vs {b.ClassName}");
            if (ourNames[a.Name] != theirNames[b.Name]) diffs.Add($"{where}: name {ourNames[a.Name]} vs {theirNames[b.Name]}");
            foreach (var key in KeyConfig)
            {
                if (b.Config[key] is null) continue;
                var (x, y) = (a.Config[key]?.ToJsonString(), b.Config[key]!.ToJsonString());
                if (x != y) diffs.Add($"{where}: {key} {x} vs {y}");
            }
            var inA = string.Join(";", a.InboundNodes.Select(n => string.Join(",", n.Inputs.Select(t => $"{ourNames[t.Layer]}[{t.NodeIndex}][{t.TensorIndex}]"))));
            var inB = string.Join(";", b.InboundNodes.Select(n => string.Join(",", n.Inputs.Select(t => $"{theirNames[t.Layer]}[{t.NodeIndex}][{t.TensorIndex}]"))));
            if (inA != inB) diffs.Add($"{where}: inbound {inA} vs {inB}");
            var (pa, pb) = (ourRows[a.Name].Params, theirRows[b.Name].Params);
            if (pa != pb) diffs.Add($"{where}: params {pa} vs {pb}");
            if (a.Weights.Count > 0 && a.Weights.Sum(w => w.ElementCount()) != pb) diffs.Add($"{where}: created weights {a.Weights.Sum(w => w.ElementCount())} vs {pb}");
        }
        return diffs;
    }

    /// <summary>Automatic names (class prefix plus counter) renumbered by order of appearance; chosen names kept.</summary>
    public static Dictionary<string, string> Normalized(ModelGraph g)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var l in g.Layers)
        {
            var prefix = l.ClassName == "InputLayer" ? "input" : LayerBuilder.SnakeCase(l.ClassName);
            var m = Regex.Match(l.Name, $"^{Regex.Escape(prefix)}(_\\d+)?$");
            if (!m.Success) { result[l.Name] = l.Name; continue; }
            int k = seen.GetValueOrDefault(prefix);
            seen[prefix] = k + 1;
            result[l.Name] = $"{prefix}#{k}";
        }
        return result;
    }

    public static JsonObject Json(string path) => (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
}
