using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Formats.Weights;
using Zoo.Models.Binding;

namespace Zoo.Models.ModelZoo.Applications;

/// <summary>
/// Loads a Keras weights file into a zoo model as keras.applications' <c>model.load_weights</c> does:
/// only layers that own weights take part (pooling and other weightless layers need no entry), paired by
/// layer name or by position, and every layer must receive exactly the variables it created, with their
/// shapes. Within a layer the weights bind by the runtime's rule (<see cref="WeightBinder"/>): by name, or by
/// position where the stored names are Keras 1-era names (<c>block1_conv1_W_1:0</c>, as Keras's own ImageNet
/// files have them) or match nothing. Anything else fails with a <see cref="WeightMismatchException"/> naming
/// the layer and weight. The bound weights take the model's own names (<c>block1_conv1/kernel:0</c>).
/// </summary>
public static class PretrainedWeights
{
    /// <summary>
    /// Binds <paramref name="path"/> onto <paramref name="graph"/>; <paramref name="expected"/> lists each layer's
    /// variables (see <see cref="Builder.LayerBuilder.ExpectedWeights"/>). What was bound by position is returned
    /// and also added to the graph's warnings, one sentence per reason.
    /// </summary>
    /// <exception cref="WeightMismatchException">A layer or weight is missing, unexpected, misshaped or not float32.</exception>
    public static BindingReport Load(ModelGraph graph, IReadOnlyDictionary<string, IReadOnlyList<(string Name, long[] Shape)>> expected, string path, WeightBinding binding)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(expected);
        var stored = KerasFile.Load(path);
        var weighted = graph.Layers.Where(l => expected.TryGetValue(l.Name, out var e) && e.Count > 0).ToList();
        // A view of the layers that own weights; WeightAttacher fills the very same LayerNode objects.
        var view = new ModelGraph { Name = graph.Name, HasArchitecture = true };
        view.Layers.AddRange(weighted);
        foreach (var layer in weighted) layer.Weights.Clear();
        var report = new BindingReport();
        report.PositionalLayers.AddRange(WeightAttacher.Attach(view, stored, binding, path));
        // Every layer binds before anything throws, so one error lists every problem of the file.
        var bound = weighted.Select(l => (Layer: l, Weights: WeightBinder.Bind(l, Specs(expected[l.Name]), l.Name, report))).ToList();
        report.ThrowIfIncomplete(path);
        foreach (var (layer, weights) in bound) Rename(layer, weights!, expected[layer.Name], path);
        foreach (var sentence in report.DescribePositional()) graph.Warnings.Add($"{Path.GetFileName(path)}: {sentence}");
        return report;
    }

    private static List<WeightSpec> Specs(IReadOnlyList<(string Name, long[] Shape)> expected)
        => expected.Select(e => new WeightSpec(e.Name, e.Shape)).ToList();

    /// <summary>Gives the bound weights the model's own variable names, as Keras assigns file values into its variables.</summary>
    private static void Rename(LayerNode layer, WeightTensor[] bound, IReadOnlyList<(string Name, long[] Shape)> expected, string path)
    {
        layer.Weights.Clear();
        for (int i = 0; i < bound.Length; i++)
        {
            var w = bound[i];
            if (w.DType != DType.Float32)
                throw new WeightMismatchException(layer.Name, w.Name, "float32", w.DType.KerasName(), path);
            layer.Weights.Add(new WeightTensor($"{layer.Name}/{expected[i].Name}:0", w.Shape, w.DType, w.Data));
        }
    }
}
