using Zoo.Formats.Ir;

namespace Zoo.FineTune.Tests.Support;

/// <summary>Compares weights of two graphs byte for byte, by layer.</summary>
internal static class WeightBytes
{
    /// <summary>Each layer's weights (name → raw bytes), nested layers as model/layer.</summary>
    public static Dictionary<string, byte[]> Of(ModelGraph g)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        void Walk(ModelGraph graph, string prefix)
        {
            foreach (var layer in graph.Layers)
            {
                if (layer.Nested is not null) { Walk(layer.Nested, prefix + layer.Name + "/"); continue; }
                foreach (var w in layer.Weights) result[prefix + layer.Name + "|" + w.Name] = w.Data.ToArray();
            }
        }
        Walk(g, "");
        return result;
    }

    /// <summary>Names of weights whose bytes differ between <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static HashSet<string> Changed(ModelGraph before, ModelGraph after)
    {
        var a = Of(before);
        var b = Of(after);
        return a.Keys.Where(k => !b.TryGetValue(k, out var v) || !v.AsSpan().SequenceEqual(a[k])).ToHashSet();
    }
}
