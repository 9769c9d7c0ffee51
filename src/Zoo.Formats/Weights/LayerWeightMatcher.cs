using Zoo.Formats.Ir;
using Zoo.Formats.Layers;

namespace Zoo.Formats.Weights;

/// <summary>How a layer's stored weights were matched to the weights the layer expects.</summary>
public enum WeightMatchKind
{
    /// <summary>Every weight by its name (Keras 2 short names, aliases, Keras 1 <c>layer_W</c> names, wrapper scopes).</summary>
    ByName,
    /// <summary>Keras 3 <c>vars/N</c> paths, by their index: the path carries no name, its index is its identity.</summary>
    ByVariableIndex,
    /// <summary>In stored order, as Keras's legacy loader always assigns a layer's weights; the names were unusable.</summary>
    ByPosition,
    /// <summary>Some expected weights found nothing or some stored weights are left over: <see cref="LayerWeightMatch.StoredIndex"/> says which.</summary>
    Incomplete,
}

/// <summary>The outcome of matching one layer's stored weights to its expected weights.</summary>
/// <param name="StoredIndex">For each expected weight, the index of the stored weight bound to it, or -1.</param>
/// <param name="Kind">How the weights were matched.</param>
/// <param name="Reason">For <see cref="WeightMatchKind.ByPosition"/>: why names could not be used.</param>
public sealed record LayerWeightMatch(IReadOnlyList<int> StoredIndex, WeightMatchKind Kind, PositionalReason? Reason)
{
    /// <summary>Whether the weights were bound by their place rather than their name.</summary>
    public bool ByPosition => Kind is WeightMatchKind.ByPosition or WeightMatchKind.ByVariableIndex;
}

/// <summary>
/// The one rule by which a layer's stored weights meet the weights the layer creates, shared by the runtime
/// binder and the model zoo: by name where every name answers; otherwise, when the counts agree, by position
/// as Keras's legacy loader (tf.keras <c>load_weights_from_hdf5_group</c>, Keras 3 <c>legacy_h5_format</c>)
/// always does — keras.applications' own ImageNet files name their weights <c>block1_conv1_W_1:0</c>. A name
/// that does answer must then sit at its own position, or the file contradicts itself and nothing is guessed.
/// </summary>
public static class LayerWeightMatcher
{
    /// <summary>Matches <paramref name="stored"/> (the weights a file holds for layer <paramref name="layerName"/>) to <paramref name="expected"/>.</summary>
    public static LayerWeightMatch Match(IReadOnlyList<WeightTensor> stored, IReadOnlyList<WeightSpec> expected, string layerName)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(expected);
        var index = Enumerable.Repeat(-1, expected.Count).ToArray();
        var used = new bool[stored.Count];
        // Scoped expectations bind first, so a name stored twice (a wrapper's own kernel and its clone's) stays unique for the unscoped one.
        foreach (int i in Enumerable.Range(0, expected.Count).OrderBy(i => expected[i].Scope is null))
        {
            var candidates = Enumerable.Range(0, stored.Count)
                .Where(j => !used[j] && Answers(expected[i], stored[j], layerName) && InScope(stored[j], expected[i].Scope, layerName))
                .ToList();
            if (candidates.Count == 1) { index[i] = candidates[0]; used[candidates[0]] = true; }
        }
        if (index.All(j => j >= 0) && used.All(u => u)) return new(index, WeightMatchKind.ByName, null);
        if (stored.Count != expected.Count || stored.Count == 0) return new(index, WeightMatchKind.Incomplete, null);

        if (index.All(j => j < 0) && VariableIndexOrder(stored) is { } order) return new(order, WeightMatchKind.ByVariableIndex, null);
        if (Enumerable.Range(0, index.Length).Any(i => index[i] >= 0 && index[i] != i)) return new(index, WeightMatchKind.Incomplete, null);
        var unnamed = Enumerable.Range(0, stored.Count).Where(j => !used[j]).Select(j => stored[j]).ToList();
        var reason = unnamed.All(w => IsKeras1Name(w, layerName)) ? PositionalReason.Keras1Names : PositionalReason.NamesDoNotMatch;
        return new(Enumerable.Range(0, stored.Count).ToArray(), WeightMatchKind.ByPosition, reason);
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

    /// <summary>
    /// Keras 1 named a variable after its layer, unscoped: <c>{layer}_W</c>, <c>{layer}_b_1</c> (the <c>_1</c> a
    /// second TensorFlow session's suffix), <c>{layer}_running_mean</c>.
    /// </summary>
    private static bool IsKeras1Name(WeightTensor w, string layerName)
        => !w.Name.Contains('/') && w.ShortName.StartsWith(layerName + "_", StringComparison.Ordinal);

    // The Keras 1 prefix rule alone would read TFA's 'sn_u' of a layer named 'sn' as 'u', so the unstripped name counts too.
    private static bool Answers(WeightSpec spec, WeightTensor w, string layerName) => spec.Answers(ShortName(w, layerName)) || spec.Answers(w.ShortName);

    private static bool InScope(WeightTensor w, string? scope, string layerName)
    {
        if (scope is null) return true;
        var segments = (w.ObjectPath ?? w.Name).Split('/');
        return segments.Any(s => s != layerName && s.StartsWith(scope, StringComparison.Ordinal))
            || w.Name.Split('/').Any(s => s != layerName && s.StartsWith(scope, StringComparison.Ordinal));
    }

    private static int[]? VariableIndexOrder(IReadOnlyList<WeightTensor> stored)
    {
        var idx = stored.Select(w => VariableIndex(w.ObjectPath) ?? VariableIndex(w.Name)).ToArray();
        if (idx.Any(i => i is null) || idx.Distinct().Count() != idx.Length) return null;
        return idx.Select((v, j) => (v: v!.Value, j)).OrderBy(p => p.v).Select(p => p.j).ToArray();
    }

    private static int? VariableIndex(string? path)
    {
        if (path is null) return null;
        var parts = path.Split('/');
        return parts.Length >= 2 && parts[^2] == "vars" && int.TryParse(parts[^1], out var i) ? i : null;
    }
}
