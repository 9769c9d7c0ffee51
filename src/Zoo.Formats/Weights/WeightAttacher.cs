using Zoo.Formats.Ir;

namespace Zoo.Formats.Weights;

/// <summary>
/// Binds a weights graph (layers with weights, no architecture — what a weights file reads as) onto an
/// architecture graph, strictly: every weights-file layer that has weights must find its layer, every
/// architecture layer must be listed, and counts and shapes must agree wherever both sides know them.
/// Layers pair by name; when some stored layer has no layer of its name, they pair as Keras's
/// <c>load_weights</c> pairs them — in order, among the layers that carry weights — provided that order
/// agrees with every name that does match. Every pairing made by position is returned.
/// A nested model's group lists all its layers' weights; they are spread over its layers by name scope.
/// </summary>
public static class WeightAttacher
{
    /// <summary>Attaches <paramref name="weights"/> onto <paramref name="architecture"/> (its layers' weight lists are replaced).</summary>
    /// <returns>The layers paired with a stored layer of another name, and why; empty when every layer paired by name.</returns>
    /// <exception cref="WeightMismatchException">A layer is missing or unexpected, or a weight count or shape differs.</exception>
    public static IReadOnlyList<PositionalBinding> Attach(ModelGraph architecture, ModelGraph weights, WeightBinding binding, string? file)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(weights);
        var (pairs, reason) = binding == WeightBinding.ByName
            ? PairByName(architecture, weights, file)
            : (TryPairByPosition(architecture, weights, out var counts) ?? throw CountMismatch(counts, file), PositionalReason.LayerOrderRequested);
        foreach (var (arch, stored) in pairs)
        {
            if (arch.Nested is not null) NestedWeights.Distribute(arch, stored.Weights, file);
            else Replace(arch, stored.Weights, file);
        }
        return pairs.Where(p => p.Arch.Name != p.Stored.Name && p.Stored.Weights.Count > 0)
            .Select(p => new PositionalBinding(p.Arch.Name, p.Stored.Name, reason)).ToList();
    }

    private static (List<(LayerNode Arch, LayerNode Stored)>, PositionalReason) PairByName(ModelGraph architecture, ModelGraph weights, string? file)
    {
        var pairs = new List<(LayerNode, LayerNode)>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        LayerNode? nameless = null;
        foreach (var stored in weights.Layers)
        {
            listed.Add(stored.Name);
            var arch = architecture.FindLayer(stored.Name);
            if (arch is null)
            {
                if (stored.Weights.Count > 0) nameless ??= stored;
                continue;
            }
            pairs.Add((arch, stored));
        }
        if (nameless is not null) return (KerasOrder(architecture, weights, nameless, file), PositionalReason.LayerNameNotFound);
        // A layer the file does not list is fine when it owns no weights (Keras adds pooling or
        // flatten layers on top of a notop file); one that should own weights is never left unbound.
        var unlisted = architecture.Layers.Where(a => !listed.Contains(a.Name) && a.ClassName != "InputLayer" && !WeightlessClasses.Contains(a.ClassName)).ToList();
        if (unlisted.Count > 0)
        {
            var paramsByLayer = Summary.ModelSummary.Of(architecture).Rows.ToDictionary(r => r.Name, r => r.Params, StringComparer.Ordinal);
            foreach (var arch in unlisted)
                if (!paramsByLayer.TryGetValue(arch.Name, out var p) || p != 0)
                    throw new WeightMismatchException(arch.Name, "(all)", "the layer listed in the weights file", "no entry for it", file);
        }
        return (pairs, PositionalReason.LayerNameNotFound);
    }

    /// <summary>
    /// Keras's own pairing, used when a stored layer's name is not in the architecture (keras.applications' ResNet
    /// files call the classifier <c>probs</c>): refused when a stored name that does exist would pair elsewhere.
    /// </summary>
    private static List<(LayerNode Arch, LayerNode Stored)> KerasOrder(ModelGraph architecture, ModelGraph weights, LayerNode nameless, string? file)
    {
        var byName = new WeightMismatchException(nameless.Name, nameless.Weights[0].Name, "a layer of that name in the architecture",
            $"no such layer (the architecture has {architecture.Layers.Count} layers, and its layers with weights do not line up with the file's by position either)", file);
        var pairs = TryPairByPosition(architecture, weights, out _) ?? throw byName;
        if (pairs.Any(p => p.Stored.Weights.Count > 0 && p.Arch.Name != p.Stored.Name && architecture.FindLayer(p.Stored.Name) is not null)) throw byName;
        return pairs;
    }

    /// <summary>Pairs layers in order; null when the counts (all layers, or the layers with weights) differ.</summary>
    private static List<(LayerNode Arch, LayerNode Stored)>? TryPairByPosition(ModelGraph architecture, ModelGraph weights, out (int Arch, int Stored) counts)
    {
        var archLayers = architecture.Layers.Where(l => l.ClassName != "InputLayer").ToList();
        var stored = weights.Layers.Where(l => l.Name.Length > 0).ToList();
        if (stored.Count != archLayers.Count && stored.Count != architecture.Layers.Count)
        {
            // Lists of different lengths can still agree on the layers that carry weights.
            stored = weights.Layers.Where(l => l.Weights.Count > 0).ToList();
            archLayers = archLayers.Where(l => !WeightlessClasses.Contains(l.ClassName)).ToList();
        }
        else if (stored.Count == architecture.Layers.Count)
            archLayers = architecture.Layers.ToList();
        counts = (archLayers.Count, stored.Count);
        return stored.Count == archLayers.Count ? archLayers.Zip(stored).ToList() : null;
    }

    private static WeightMismatchException CountMismatch((int Arch, int Stored) counts, string? file)
        => new("(model)", "(layers)", $"{counts.Arch} layers with weights in the architecture", $"{counts.Stored} in the weights file", file);

    /// <summary>Keras layers that never own weights; used only to line up lists of different lengths by position.</summary>
    private static readonly HashSet<string> WeightlessClasses = new(StringComparer.Ordinal)
    {
        "InputLayer", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise", "GaussianDropout",
        "AlphaDropout", "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "ThresholdedReLU", "Flatten", "Reshape", "Permute",
        "RepeatVector", "Lambda", "Masking", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
        "AveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GlobalAveragePooling1D",
        "GlobalAveragePooling2D", "GlobalAveragePooling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D",
        "Cropping2D", "Cropping3D", "UpSampling1D", "UpSampling2D", "UpSampling3D", "Add", "Subtract", "Multiply", "Average",
        "Maximum", "Minimum", "Concatenate", "Dot", "MaxPool1D", "MaxPool2D", "MaxPool3D", "AvgPool1D", "AvgPool2D", "AvgPool3D",
        "Identity",
    };

    /// <summary>Replaces a plain layer's weights, checking them against weights it already had.</summary>
    internal static void Replace(LayerNode arch, IReadOnlyList<WeightTensor> incoming, string? file)
    {
        if (arch.Weights.Count > 0)
        {
            if (arch.Weights.Count != incoming.Count)
                throw new WeightMismatchException(arch.Name, "(count)", $"{arch.Weights.Count} weights", $"{incoming.Count}", file);
            for (int i = 0; i < incoming.Count; i++)
                CheckShape(arch.Name, arch.Weights[i], incoming[i], file);
        }
        arch.Weights.Clear();
        arch.Weights.AddRange(incoming);
    }

    internal static void CheckShape(string layer, WeightTensor expected, WeightTensor found, string? file)
    {
        if (!expected.Shape.AsSpan().SequenceEqual(found.Shape))
            throw new WeightMismatchException(layer, found.Name, $"shape [{string.Join(",", expected.Shape)}]", $"[{string.Join(",", found.Shape)}]", file);
    }
}
