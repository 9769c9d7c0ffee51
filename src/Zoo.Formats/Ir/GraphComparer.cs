using System.Text.Json.Nodes;
using Zoo.Formats.Config;

namespace Zoo.Formats.Ir;

/// <summary>
/// Says how two graphs differ: configs (compared semantically, in one dialect), weights (bit for bit,
/// per layer and position), training config and optimizer state. An empty list means lossless.
/// </summary>
public static class GraphComparer
{
    /// <summary>Differences between <paramref name="expected"/> and <paramref name="actual"/>, one sentence each.</summary>
    /// <param name="expected">The reference graph.</param>
    /// <param name="actual">The graph to check.</param>
    /// <param name="compareWeightNames">Also require equal stored weight names (false across formats that name weights differently).</param>
    /// <param name="compareConfigs">Compare architecture configs (skipped automatically when either graph has none).</param>
    public static List<string> Differences(ModelGraph expected, ModelGraph actual, bool compareWeightNames = true, bool compareConfigs = true)
    {
        var diffs = new List<string>();
        if (compareConfigs && expected.HasArchitecture && actual.HasArchitecture)
        {
            var dialect = expected.Metadata.Dialect;
            var a = ModelConfigCodec.Write(expected, dialect);
            JsonObject b;
            try { b = ModelConfigCodec.Write(actual, dialect); }
            catch (ZooException e) { diffs.Add($"config of the second graph cannot be written in {dialect}: {e.Detail}"); b = new JsonObject(); }
            StripVersionKeys(a);
            StripVersionKeys(b);
            if (!JsonNode.DeepEquals(a, b)) diffs.Add("model configs differ");
        }
        CompareLayers(expected.Layers, actual.Layers, "", compareWeightNames, diffs);
        if (expected.OptimizerWeights.Count != actual.OptimizerWeights.Count)
            diffs.Add($"optimizer state: expected {expected.OptimizerWeights.Count} tensors, found {actual.OptimizerWeights.Count}");
        else
            for (int i = 0; i < expected.OptimizerWeights.Count; i++)
                if (!SameTensor(expected.OptimizerWeights[i], actual.OptimizerWeights[i], compareWeightNames))
                    diffs.Add($"optimizer tensor {i} ('{expected.OptimizerWeights[i].Name}') differs");
        if (!JsonNode.DeepEquals(expected.TrainingConfig, actual.TrainingConfig))
            diffs.Add(expected.TrainingConfig is null || actual.TrainingConfig is null ? "training config present in only one graph" : "training configs differ");
        return diffs;
    }

    private static void CompareLayers(List<LayerNode> ea, List<LayerNode> aa, string scope, bool names, List<string> diffs)
    {
        var byName = aa.GroupBy(l => l.Name).ToDictionary(g => g.Key, g => g.First());
        foreach (var e in ea)
        {
            if (!byName.TryGetValue(e.Name, out var a))
            {
                if (e.AllWeights().Any()) diffs.Add($"layer '{scope}{e.Name}' with weights is missing");
                continue;
            }
            if (e.Nested is not null && a.Nested is not null) CompareLayers(e.Nested.Layers, a.Nested.Layers, $"{scope}{e.Name}/", names, diffs);
            else if (e.Weights.Count != a.Weights.Count) diffs.Add($"layer '{scope}{e.Name}': expected {e.Weights.Count} weights, found {a.Weights.Count}");
            else
                for (int i = 0; i < e.Weights.Count; i++)
                    if (!SameTensor(e.Weights[i], a.Weights[i], names))
                        diffs.Add($"layer '{scope}{e.Name}': weight {i} ('{e.Weights[i].Name}' vs '{a.Weights[i].Name}') differs");
        }
    }

    private static bool SameTensor(WeightTensor x, WeightTensor y, bool names)
        => (!names || x.Name == y.Name) && x.DType == y.DType && x.Shape.AsSpan().SequenceEqual(y.Shape) && x.Data.AsSpan().SequenceEqual(y.Data);

    private static void StripVersionKeys(JsonObject o)
    {
        o.Remove("keras_version");
        o.Remove("backend");
    }
}
