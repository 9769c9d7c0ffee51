namespace Zoo.Formats.Weights;

/// <summary>Why something was bound by its place in the file rather than by its name.</summary>
public enum PositionalReason
{
    /// <summary>
    /// A layer's weights carry Keras 1-era names, the variable named after its layer without a scope
    /// (<c>block1_conv1_W_1:0</c>, <c>bn_conv1_running_mean:0</c>), which answer no Keras 2 name.
    /// </summary>
    Keras1Names,
    /// <summary>A layer's stored weight names answer none of the names the layer gives its weights.</summary>
    NamesDoNotMatch,
    /// <summary>
    /// A stored layer has no layer of its name in the architecture (<c>probs</c> for <c>predictions</c>), and
    /// the layers that carry weights line up in order, as Keras's <c>load_weights</c> pairs them.
    /// </summary>
    LayerNameNotFound,
    /// <summary>Layers were paired in order because the caller asked for it (files written under other automatic names).</summary>
    LayerOrderRequested,
}

/// <summary>
/// A layer, or one layer's weights, bound by position rather than by name: which, to what, and why. Keras's
/// legacy loader binds everything by position; Zoo binds by name where it can and reports every exception.
/// </summary>
/// <param name="Layer">The architecture's layer (path <c>outer/inner</c> for nested models).</param>
/// <param name="Stored">
/// For a layer pairing, the stored layer's name; for weights bound within a layer, the stored weight names
/// in the order they were assigned.
/// </param>
/// <param name="Reason">Why names were not used.</param>
public sealed record PositionalBinding(string Layer, string Stored, PositionalReason Reason)
{
    /// <summary>One readable sentence per reason for <paramref name="bindings"/>, naming the first few layers; empty when there are none.</summary>
    public static IReadOnlyList<string> Summarize(IEnumerable<PositionalBinding> bindings)
        => bindings.GroupBy(b => b.Reason).OrderBy(g => g.Key).Select(g => Sentence(g.Key, g.ToList())).ToList();

    private static string Sentence(PositionalReason reason, List<PositionalBinding> group)
    {
        const int shown = 4;
        string Few(Func<PositionalBinding, string> text)
            => string.Join(", ", group.Take(shown).Select(text)) + (group.Count > shown ? $", … ({group.Count - shown} more)" : "");
        bool one = group.Count == 1;
        string layers = one ? "1 layer" : $"{group.Count} layers", was = one ? "was" : "were";
        return reason switch
        {
            PositionalReason.Keras1Names =>
                $"the weights of {layers} were bound by position within the layer, as Keras's loader assigns them: their stored names are Keras 1-era names ({Few(b => $"{b.Layer}: {b.Stored}")})",
            PositionalReason.NamesDoNotMatch =>
                $"the weights of {layers} were bound by position within the layer, as Keras's loader assigns them: their stored names match none of the layer's weight names ({Few(b => $"{b.Layer}: {b.Stored}")})",
            PositionalReason.LayerNameNotFound =>
                $"{layers} {was} paired by position with stored layers of names the architecture lacks, as Keras's load_weights pairs the layers that carry weights in order ({Few(b => $"{b.Layer} ← {b.Stored}")})",
            _ =>
                $"{layers} {was} paired by position with stored layers of other names ({Few(b => $"{b.Layer} ← {b.Stored}")})",
        };
    }
}
