using Zoo.Formats.Ir;

namespace Zoo.Formats.Weights;

/// <summary>
/// Spreads the flat weight list a legacy HDF5 group stores for a nested model (all trainable, then all
/// non-trainable, across its layers) over the nested model's layers, by the layer name each weight's
/// name is scoped under (<c>block1_conv1/kernel:0</c>; Keras 1's <c>convolution2d_1_W</c> by prefix).
/// The stored order is remembered so a writer can reproduce it.
/// </summary>
internal static class NestedWeights
{
    public static void Distribute(LayerNode model, IReadOnlyList<WeightTensor> stored, string? file)
    {
        var nested = model.Nested!;
        var perLayer = new Dictionary<LayerNode, List<WeightTensor>>(ReferenceEqualityComparer.Instance);
        foreach (var w in stored)
        {
            var owner = Owner(nested, w.Name)
                ?? throw new WeightMismatchException(model.Name, w.Name,
                    $"a weight scoped under one of the nested model's layers ({string.Join(", ", nested.Layers.Select(l => l.Name).Take(8))}…)",
                    "a name that matches none of them", file);
            if (!perLayer.TryGetValue(owner, out var list)) perLayer[owner] = list = new List<WeightTensor>();
            list.Add(w);
        }
        foreach (var (layer, list) in perLayer)
        {
            if (layer.Nested is not null) Distribute(layer, list, file);
            else WeightAttacher.Replace(layer, list, file);
        }
        model.StoredWeightOrder = stored.Select(w => w.Name).ToList();
        model.StoredTrainableFlags = KerasWeightOrder.TrainableFlags(model);
    }

    /// <summary>
    /// The nested layer a stored weight name belongs to: the layer its scope names, or the model among the nested
    /// layers that holds a layer of that name (tf.keras scopes a variable by its own layer only, so a model nested two
    /// deep lists <c>conv/kernel:0</c>, not <c>inner/conv/kernel:0</c>); null when no layer name matches.
    /// </summary>
    private static LayerNode? Owner(ModelGraph nested, string weightName)
    {
        var segments = weightName.Split('/');
        for (int i = 0; i < segments.Length - 1; i++)
        {
            if (nested.FindLayer(segments[i]) is { } byScope) return byScope;
            if (nested.Layers.FirstOrDefault(l => l.Nested is { } m && Holds(m, segments[i])) is { } model) return model;
        }
        return nested.Layers
            .Where(l => weightName.StartsWith(l.Name + "_", StringComparison.Ordinal))
            .OrderByDescending(l => l.Name.Length)
            .FirstOrDefault();
    }

    // Whether a layer named <paramref name="name"/> is anywhere inside <paramref name="g"/> (walked without recursion).
    private static bool Holds(ModelGraph g, string name)
    {
        var pending = new Stack<ModelGraph>([g]);
        while (pending.Count > 0)
        {
            var m = pending.Pop();
            foreach (var l in m.Layers)
            {
                if (l.Name == name) return true;
                if (l.Nested is { } inner) pending.Push(inner);
            }
        }
        return false;
    }
}
