using System.Text.Json.Nodes;

namespace Zoo.Formats.Layers;

/// <summary>Reads the (before, after) amounts per spatial axis that ZeroPadding and Cropping accept in every form.</summary>
internal static class PadPairs
{
    /// <summary>
    /// <c>n</c> → every side n; <c>[a, b]</c> → per axis (a,a),(b,b) for rank 2 or (a,b) for rank 1;
    /// <c>[[t,b],[l,r]]</c> → as given.
    /// </summary>
    public static int[][] Read(LayerConfig c, int rank, string key, string? keras1Key = null)
    {
        var v = c.Find(keras1Key is null ? new[] { key } : new[] { key, keras1Key }) ?? JsonValue.Create(rank == 1 ? 1 : 0);
        int scalar(JsonNode? n) => n is JsonValue jv && jv.TryGetValue(out int i) ? i
            : n is JsonValue jd && jd.TryGetValue(out double d) ? (int)d : throw c.Bad(key, "an integer", n);
        if (v is JsonValue) { int p = scalar(v); return Enumerable.Range(0, rank).Select(_ => new[] { p, p }).ToArray(); }
        if (v is JsonArray a)
        {
            if (rank == 1 && a.Count == 2 && a[0] is JsonValue) return new[] { new[] { scalar(a[0]), scalar(a[1]) } };
            if (a.Count == rank && a.All(e => e is JsonValue)) return a.Select(e => new[] { scalar(e), scalar(e) }).ToArray();
            if (a.Count == rank && a.All(e => e is JsonArray p && p.Count == 2))
                return a.Select(e => new[] { scalar(e![0]), scalar(e[1]) }).ToArray();
            // Keras 1 ZeroPadding2D accepted a flat (top, bottom, left, right) 4-tuple.
            if (rank == 2 && a.Count == 4) return new[] { new[] { scalar(a[0]), scalar(a[1]) }, new[] { scalar(a[2]), scalar(a[3]) } };
        }
        throw c.Bad(key, $"an integer, {rank} integers or {rank} (before, after) pairs", v);
    }
}
