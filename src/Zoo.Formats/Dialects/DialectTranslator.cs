using Zoo.Formats.Ir;

namespace Zoo.Formats.Dialects;

/// <summary>
/// Translates a model between Keras config dialects: Keras 1 → Keras 2 (the renames Keras 2.0's
/// legacy interfaces made), Keras 2 ↔ Keras 3. The result is a deep copy; weights are shared and keep
/// their stored names (the runtime reads Keras 1 layouts such as <c>W</c>/<c>b</c>/<c>running_std</c>).
/// Connectivity stays structural (<see cref="LayerNode.InboundNodes"/>); the codec writes it in the
/// target's form. Translating to Keras 1 is not offered: nothing needs to write it.
/// </summary>
public static class DialectTranslator
{
    /// <summary>A copy of <paramref name="graph"/> whose configs are in <paramref name="target"/>'s dialect.</summary>
    /// <exception cref="UnsupportedFeatureException">A layer or argument has no equivalent in the target dialect.</exception>
    public static ModelGraph Translate(ModelGraph graph, KerasDialectKind target)
        => Translate(graph, target, new List<DialectNote>());

    /// <summary>
    /// As <see cref="Translate(ModelGraph, KerasDialectKind)"/>, adding to <paramref name="notes"/> every
    /// argument dropped or value changed that the target cannot hold.
    /// </summary>
    public static ModelGraph Translate(ModelGraph graph, KerasDialectKind target, List<DialectNote> notes)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(notes);
        var source = graph.Metadata.Dialect;
        var copy = graph.DeepClone();
        if (source == target) return copy;
        if (target == KerasDialectKind.Keras1)
            throw new UnsupportedFeatureException($"model '{graph.Name}': translating {source} configs to Keras 1 is not supported; Keras 2 and 3 are the targets");
        if (source == KerasDialectKind.Keras1)
        {
            Keras1ToKeras2.Apply(copy, notes);
            source = KerasDialectKind.Keras2;
        }
        if (source == KerasDialectKind.Keras2 && target == KerasDialectKind.Keras3) Keras2ToKeras3.Apply(copy, notes);
        else if (source == KerasDialectKind.Keras3 && target == KerasDialectKind.Keras2) Keras3ToKeras2.Apply(copy, notes);
        RenumberNestedCalls(copy, source == KerasDialectKind.Keras1 ? KerasDialectKind.Keras2 : source, target);
        ForgetRawConnectivity(copy);
        // A version recorded inside the source config names the source dialect; the writer records the target's.
        copy.Extras.Remove("keras_version");
        copy.SetDialect(target);
        return copy;
    }

    /// <summary>
    /// Rewrites one new layer (its config written in Keras 2 form, as a builder makes it) in <paramref name="target"/>'s
    /// dialect, in place: what a model of that dialect needs when a tool adds layers to it (a new classifier head on a
    /// Keras 3 model gets Keras 3 configs and the module/registered_name envelope).
    /// </summary>
    public static void TranslateNewLayer(LayerNode layer, KerasDialectKind target)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (target is KerasDialectKind.Keras2 or KerasDialectKind.Keras1) return;
        if (layer.Nested is not null) throw new ArgumentException("a model used as a layer is translated with its graph (Translate)", nameof(layer));
        var notes = new List<DialectNote>();
        layer.Config = Keras2ToKeras3.TranslateLayer(layer.ClassName, layer.Name, layer.Config, notes);
        Keras2ToKeras3.EnsureEnvelope(layer.Extras, "keras.layers", null);
        if (notes.Count > 0)
            throw new UnsupportedFeatureException($"layer '{layer.Name}': {notes[0]}", objectPath: layer.Name);
    }

    // Keras 2 numbers a built nested Sequential's calls from 1, Keras 3 from 0 (KerasNodeIndex): the
    // references to it move with the dialect, and so do the nested graphs' own references.
    private static void RenumberNestedCalls(ModelGraph g, KerasDialectKind from, KerasDialectKind to)
    {
        var shift = g.Layers.ToDictionary(
            l => l.Name, l => KerasNodeIndex.FirstSavedNode(l, to) - KerasNodeIndex.FirstSavedNode(l, from), StringComparer.Ordinal);
        TensorRef Move(TensorRef t) => shift.TryGetValue(t.Layer, out var d) && d != 0 ? t with { NodeIndex = t.NodeIndex + d } : t;
        foreach (var layer in g.Layers)
        {
            foreach (var call in layer.InboundNodes)
                for (int i = 0; i < call.Inputs.Count; i++) call.Inputs[i] = Move(call.Inputs[i]);
            if (layer.Nested is not null) RenumberNestedCalls(layer.Nested, from, to);
        }
        for (int i = 0; i < g.Inputs.Count; i++) g.Inputs[i] = Move(g.Inputs[i]);
        for (int i = 0; i < g.Outputs.Count; i++) g.Outputs[i] = Move(g.Outputs[i]);
    }

    /// <summary>
    /// As <see cref="Translate(ModelGraph, KerasDialectKind)"/>, reporting every lossy change on
    /// <paramref name="graph"/>'s own <see cref="ModelGraph.Warnings"/> (once each), so that writers
    /// translating on the caller's behalf still let tools show what the target could not hold.
    /// </summary>
    public static ModelGraph TranslateReporting(ModelGraph graph, KerasDialectKind target)
    {
        var notes = new List<DialectNote>();
        var translated = Translate(graph, target, notes);
        foreach (var note in notes.Select(n => $"{target}: {n}"))
            if (!graph.Warnings.Contains(note)) graph.Warnings.Add(note);
        return translated;
    }

    // The raw inbound_nodes are in the source dialect's form; the codec must write the calls anew.
    private static void ForgetRawConnectivity(ModelGraph g)
    {
        foreach (var layer in g.Layers)
        {
            layer.RawInboundNodes = null;
            if (layer.Nested is not null) ForgetRawConnectivity(layer.Nested);
        }
    }
}
