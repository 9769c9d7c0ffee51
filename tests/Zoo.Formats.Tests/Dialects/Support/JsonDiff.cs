using System.Text.Json.Nodes;

namespace Zoo.Formats.Tests.Dialects.Support;

/// <summary>Semantic JSON comparison: member order ignored, numbers compared by value; lists every difference by path.</summary>
internal static class JsonDiff
{
    public static List<string> Differences(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        var diffs = new List<string>();
        Walk(expected, actual, path, diffs);
        return diffs;
    }

    private static void Walk(JsonNode? e, JsonNode? a, string path, List<string> diffs)
    {
        switch (e, a)
        {
            case (null, null):
                return;
            case (JsonObject eo, JsonObject ao):
                foreach (var (k, v) in eo)
                {
                    if (!ao.TryGetPropertyValue(k, out var av)) diffs.Add($"{path}.{k}: missing (expected {v?.ToJsonString() ?? "null"})");
                    else Walk(v, av, $"{path}.{k}", diffs);
                }
                foreach (var (k, v) in ao)
                    if (!eo.ContainsKey(k)) diffs.Add($"{path}.{k}: unexpected {v?.ToJsonString() ?? "null"}");
                return;
            case (JsonArray ea, JsonArray aa):
                if (ea.Count != aa.Count) { diffs.Add($"{path}: {ea.Count} items, found {aa.Count}"); return; }
                for (int i = 0; i < ea.Count; i++) Walk(ea[i], aa[i], $"{path}[{i}]", diffs);
                return;
            case (JsonValue ev, JsonValue av) when ev.TryGetValue(out double ed) && av.TryGetValue(out double ad):
                if (ed != ad) diffs.Add($"{path}: expected {ed}, found {ad}");
                return;
            default:
                if (e?.ToJsonString() != a?.ToJsonString()) diffs.Add($"{path}: expected {e?.ToJsonString() ?? "null"}, found {a?.ToJsonString() ?? "null"}");
                return;
        }
    }
}
