using Zoo.Formats.Ir;
using Zoo.Formats.Layers;

namespace Zoo.Models.Binding;

/// <summary>
/// Matches a layer's stored weights to the weights its spec expects: by name first (Keras 2 short
/// names, Keras 1 <c>layer_W</c> names, aliases, wrapper scopes), by Keras 3 <c>vars/N</c> index next,
/// and by position only when no name is usable at all. Every outcome lands in the report.
/// </summary>
public static class WeightBinder
{
    /// <summary>
    /// Binds <paramref name="node"/>'s weights to <paramref name="expected"/>; returns them in expected
    /// order, or null when anything is missing or mismatched (the report says what).
    /// </summary>
    public static WeightTensor[]? Bind(LayerNode node, IReadOnlyList<WeightSpec> expected, string layerPath, BindingReport report)
    {
        var stored = node.Weights;
        var result = new WeightTensor?[expected.Count];
        var used = new bool[stored.Count];
        bool byPosition = false;

        // Scoped expectations bind first, so a name stored twice (a wrapper's own kernel and its clone's) stays unique for the unscoped one.
        foreach (int i in Enumerable.Range(0, expected.Count).OrderBy(i => expected[i].Scope is null))
        {
            var candidates = Enumerable.Range(0, stored.Count)
                .Where(j => !used[j] && Answers(expected[i], stored[j], node.Name) && InScope(stored[j], expected[i].Scope, node.Name))
                .ToList();
            if (candidates.Count == 1) { result[i] = stored[candidates[0]]; used[candidates[0]] = true; }
        }

        if (result.All(r => r is null) && stored.Count == expected.Count && stored.Count > 0)
        {
            // Names say nothing (Keras 3 vars/N, renamed layers): bind in stored order, Keras 3 by its index.
            var order = VarIndexOrder(stored) ?? Enumerable.Range(0, stored.Count).ToArray();
            for (int i = 0; i < expected.Count; i++) { result[i] = stored[order[i]]; used[order[i]] = true; }
            byPosition = true;
        }

        bool ok = true;
        for (int i = 0; i < expected.Count; i++)
        {
            var w = result[i];
            if (w is null) { report.Missing.Add(new(layerPath, expected[i].Name, expected[i].Shape)); ok = false; continue; }
            if (!w.Shape.SequenceEqual(expected[i].Shape))
            {
                report.ShapeMismatched.Add(new(layerPath, expected[i].Name, w.Name, expected[i].Shape, w.Shape));
                ok = false;
                continue;
            }
            report.Matched.Add(new(layerPath, expected[i].Name, w.Name, w.Shape, byPosition));
        }
        for (int j = 0; j < stored.Count; j++)
            if (!used[j]) { report.Unexpected.Add(new(layerPath, stored[j].Name, stored[j].Shape)); ok = false; }
        return ok ? result.Select(r => r!).ToArray() : null;
    }

    /// <summary>
    /// The variable's own name: scope and <c>:0</c> dropped, and Keras 1's <c>{layer}_</c> prefix removed
    /// (<c>lstm_1_W_i:0</c> → <c>W_i</c>).
    /// </summary>
    public static string ShortName(WeightTensor w, string layerName)
    {
        var s = w.ShortName;
        return s.StartsWith(layerName + "_", StringComparison.Ordinal) && s.Length > layerName.Length + 1 ? s[(layerName.Length + 1)..] : s;
    }

    // The Keras 1 prefix rule alone would read TFA's 'sn_u' of a layer named 'sn' as 'u', so the unstripped name counts too.
    private static bool Answers(WeightSpec spec, WeightTensor w, string layerName) => spec.Answers(ShortName(w, layerName)) || spec.Answers(w.ShortName);

    private static bool InScope(WeightTensor w, string? scope, string layerName)
    {
        if (scope is null) return true;
        var segments = (w.ObjectPath ?? w.Name).Split('/');
        return segments.Any(s => s != layerName && s.StartsWith(scope, StringComparison.Ordinal))
            || w.Name.Split('/').Any(s => s != layerName && s.StartsWith(scope, StringComparison.Ordinal));
    }

    private static int[]? VarIndexOrder(List<WeightTensor> stored)
    {
        var idx = stored.Select(w => VarIndex(w.ObjectPath) ?? VarIndex(w.Name)).ToArray();
        if (idx.Any(i => i is null) || idx.Distinct().Count() != idx.Length) return null;
        var sorted = idx.Select((v, j) => (v: v!.Value, j)).OrderBy(p => p.v).Select(p => p.j).ToArray();
        return sorted;
    }

    private static int? VarIndex(string? path)
    {
        if (path is null) return null;
        var parts = path.Split('/');
        return parts.Length >= 2 && parts[^2] == "vars" && int.TryParse(parts[^1], out var i) ? i : null;
    }
}
