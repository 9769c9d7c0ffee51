using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Formats.Weights;

namespace Zoo.Models.Binding;

/// <summary>
/// Binds a layer's stored weights to the weights its spec expects by the one shared rule
/// (<see cref="LayerWeightMatcher"/>): by name where every name answers (Keras 2 short names, Keras 1
/// <c>layer_W</c> names, aliases, wrapper scopes), by Keras 3 <c>vars/N</c> index, or by position as Keras's
/// legacy loader does. Every outcome lands in the report, positional bindings with their reason.
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
        var match = LayerWeightMatcher.Match(stored, expected, node.Name);
        if (match.Kind == WeightMatchKind.ByPosition)
            report.PositionalWeights.Add(new PositionalBinding(layerPath, string.Join(", ", stored.Select(w => w.Name)), match.Reason!.Value));

        bool ok = true;
        var used = new bool[stored.Count];
        for (int i = 0; i < expected.Count; i++)
        {
            int j = match.StoredIndex[i];
            if (j < 0) { report.Missing.Add(new(layerPath, expected[i].Name, expected[i].Shape)); ok = false; continue; }
            used[j] = true;
            var w = stored[j];
            if (!w.Shape.SequenceEqual(expected[i].Shape))
            {
                report.ShapeMismatched.Add(new(layerPath, expected[i].Name, w.Name, expected[i].Shape, w.Shape));
                ok = false;
                continue;
            }
            report.Matched.Add(new(layerPath, expected[i].Name, w.Name, w.Shape, match.ByPosition));
        }
        for (int j = 0; j < stored.Count; j++)
            if (!used[j]) { report.Unexpected.Add(new(layerPath, stored[j].Name, stored[j].Shape)); ok = false; }
        return ok ? match.StoredIndex.Select(j => stored[j]).ToArray() : null;
    }

    /// <summary>
    /// The variable's own name: scope and <c>:0</c> dropped, and Keras 1's <c>{layer}_</c> prefix removed
    /// (<c>lstm_1_W_i:0</c> → <c>W_i</c>).
    /// </summary>
    public static string ShortName(WeightTensor w, string layerName) => LayerWeightMatcher.ShortName(w, layerName);
}
