using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Weights;

namespace Zoo.Models.ModelZoo.Applications;

/// <summary>
/// Loads a Keras weights file into a zoo model as keras.applications' <c>model.load_weights</c> does:
/// only layers that own weights take part (pooling and other weightless layers need no entry), by layer
/// name or by position, and every layer must receive exactly the variables it created, in Keras order,
/// with their shapes and short names (<c>kernel</c>, <c>bias</c>, <c>gamma</c>, …). Anything else fails
/// with a <see cref="WeightMismatchException"/> naming the layer and weight.
/// </summary>
public static class PretrainedWeights
{
    /// <summary>Binds <paramref name="path"/> onto <paramref name="graph"/>; <paramref name="expected"/> lists each layer's variables (see <see cref="Builder.LayerBuilder.ExpectedWeights"/>).</summary>
    public static void Load(ModelGraph graph, IReadOnlyDictionary<string, IReadOnlyList<(string Name, long[] Shape)>> expected, string path, WeightBinding binding)
    {
        var stored = KerasFile.Load(path);
        var weighted = graph.Layers.Where(l => expected.TryGetValue(l.Name, out var e) && e.Count > 0).ToList();
        // A view of the layers that own weights; WeightAttacher fills the very same LayerNode objects.
        var view = new ModelGraph { Name = graph.Name, HasArchitecture = true };
        view.Layers.AddRange(weighted);
        foreach (var layer in weighted) layer.Weights.Clear();
        WeightAttacher.Attach(view, stored, binding, path);
        foreach (var layer in weighted) Check(layer, expected[layer.Name], path);
    }

    private static void Check(LayerNode layer, IReadOnlyList<(string Name, long[] Shape)> expected, string path)
    {
        if (layer.Weights.Count != expected.Count)
            throw new WeightMismatchException(layer.Name, "(count)", $"{expected.Count} weights ({string.Join(", ", expected.Select(e => e.Name))})",
                $"{layer.Weights.Count} ({string.Join(", ", layer.Weights.Select(w => w.Name))})", path);
        for (int i = 0; i < expected.Count; i++)
        {
            var (name, shape) = expected[i];
            var w = layer.Weights[i];
            // Keras 3 stores name variables by index (vars/0); their position is their identity.
            if (w.ObjectPath is null && w.ShortName != name)
                throw new WeightMismatchException(layer.Name, w.Name, $"'{name}' (weight {i} of the layer)", $"'{w.ShortName}'", path);
            if (!w.Shape.AsSpan().SequenceEqual(shape))
                throw new WeightMismatchException(layer.Name, w.Name, $"shape [{string.Join(",", shape)}]", $"[{string.Join(",", w.Shape)}]", path);
            if (w.DType != DType.Float32)
                throw new WeightMismatchException(layer.Name, w.Name, "float32", w.DType.KerasName(), path);
            // The model's own variable names, as Keras assigns file values into its variables.
            layer.Weights[i] = new WeightTensor($"{layer.Name}/{name}:0", w.Shape, w.DType, w.Data);
        }
    }
}
