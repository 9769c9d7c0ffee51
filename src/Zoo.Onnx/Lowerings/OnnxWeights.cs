using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;

namespace Zoo.Onnx.Lowerings;

/// <summary>
/// Matches a layer's stored weights to what its spec expects, as the runtime does: by short name or alias
/// (Keras 1 <c>layer_W</c> prefixes stripped, wrapper scopes honoured), by Keras 3 <c>vars/N</c> order or
/// stored order only when no name answers at all. Anything missing or misshapen is a <see cref="WeightMismatchException"/>.
/// </summary>
internal static class OnnxWeights
{
    /// <summary>Binds the weights of <paramref name="node"/> to <paramref name="expected"/>, as float32 arrays in expected order.</summary>
    public static float[][] Bind(LayerNode node, IReadOnlyList<WeightSpec> expected, string? backend)
    {
        var stored = node.Weights;
        var result = new WeightTensor?[expected.Count];
        var used = new bool[stored.Count];
        // Scoped expectations bind first, so a name stored twice (a wrapper's own kernel and its clone's) stays unique for the unscoped one.
        foreach (int i in Enumerable.Range(0, expected.Count).OrderBy(i => expected[i].Scope is null))
        {
            var hits = Enumerable.Range(0, stored.Count)
                .Where(j => !used[j] && (expected[i].Answers(ShortName(stored[j], node.Name)) || expected[i].Answers(stored[j].ShortName)) && InScope(stored[j], expected[i].Scope, node.Name))
                .ToList();
            if (hits.Count == 1) { result[i] = stored[hits[0]]; used[hits[0]] = true; }
        }
        if (result.All(r => r is null) && stored.Count == expected.Count && stored.Count > 0)
        {
            var order = VarOrder(stored) ?? Enumerable.Range(0, stored.Count).ToArray();
            for (int i = 0; i < expected.Count; i++) result[i] = stored[order[i]];
        }
        var arrays = new float[expected.Count][];
        for (int i = 0; i < expected.Count; i++)
        {
            var w = result[i] ?? throw new WeightMismatchException(node.Name, expected[i].Name, expected[i].ShapeText,
                stored.Count == 0 ? "no weights stored" : "none of " + string.Join(", ", stored.Select(s => s.Name)));
            if (!w.Shape.SequenceEqual(expected[i].Shape))
                throw new WeightMismatchException(node.Name, expected[i].Name, expected[i].ShapeText, "[" + string.Join(",", w.Shape) + "]");
            arrays[i] = w.ToFloat32();
        }
        if (backend == "theano" && node.ClassName.StartsWith("Conv", StringComparison.Ordinal) && arrays.Length > 0)
            arrays[0] = FlipSpatial(arrays[0], expected[0].Shape);
        return arrays;
    }

    private static string ShortName(WeightTensor w, string layer)
    {
        var s = w.ShortName;
        return s.StartsWith(layer + "_", StringComparison.Ordinal) && s.Length > layer.Length + 1 ? s[(layer.Length + 1)..] : s;
    }

    private static bool InScope(WeightTensor w, string? scope, string layer)
    {
        if (scope is null) return true;
        bool has(string path) => path.Split('/').Any(s => s != layer && s.StartsWith(scope, StringComparison.Ordinal));
        return has(w.ObjectPath ?? w.Name) || has(w.Name);
    }

    private static int[]? VarOrder(List<WeightTensor> stored)
    {
        static int? index(string? p)
        {
            var parts = p?.Split('/');
            return parts is { Length: >= 2 } && parts[^2] == "vars" && int.TryParse(parts[^1], out var i) ? i : null;
        }
        var idx = stored.Select(w => index(w.ObjectPath) ?? index(w.Name)).ToArray();
        if (idx.Any(i => i is null) || idx.Distinct().Count() != idx.Length) return null;
        return idx.Select((v, j) => (v: v!.Value, j)).OrderBy(p => p.v).Select(p => p.j).ToArray();
    }

    // Theano stored convolution kernels rotated by 180°: undo it so the kernel is a TF-style correlation.
    private static float[] FlipSpatial(float[] k, long[] shape)
    {
        int rank = shape.Length - 2;
        long inner = shape[^1] * shape[^2];
        var spatial = shape.Take(rank).ToArray();
        long count = spatial.Aggregate(1L, (a, b) => a * b);
        var result = new float[k.Length];
        for (long s = 0; s < count; s++)
        {
            long rem = s, flipped = 0, stride = 1;
            var idx = new long[rank];
            for (int d = rank - 1; d >= 0; d--) { idx[d] = rem % spatial[d]; rem /= spatial[d]; }
            for (int d = rank - 1; d >= 0; d--) { flipped += (spatial[d] - 1 - idx[d]) * stride; stride *= spatial[d]; }
            Array.Copy(k, s * inner, result, flipped * inner, inner);
        }
        return result;
    }
}
