using Zoo.Formats.Ir;

namespace Zoo.Formats.Weights;

/// <summary>
/// The order in which Keras lists a model's weights (<c>model.weights</c>): every trainable weight of every
/// layer, then every non-trainable one. A frozen layer's weights are all non-trainable (its trainable ones
/// first), and a frozen model makes all of its weights non-trainable. Keras and tfjs load the weights of a
/// nested model from H5 by position in this order, so a writer must use it.
/// </summary>
public static class KerasWeightOrder
{
    private static readonly HashSet<string> NonTrainableNames = new(StringComparer.Ordinal)
    {
        "moving_mean", "moving_variance", "running_mean", "running_std",
    };

    private static readonly HashSet<string> AllNonTrainableClasses = new(StringComparer.Ordinal) { "Normalization" };

    /// <summary>All weights of a nested model layer in Keras's order.</summary>
    public static List<WeightTensor> Of(LayerNode model)
    {
        var (trainable, nonTrainable) = Split(model);
        return trainable.Concat(nonTrainable).ToList();
    }

    private static (List<WeightTensor> Trainable, List<WeightTensor> NonTrainable) Split(LayerNode layer)
    {
        var t = new List<WeightTensor>();
        var n = new List<WeightTensor>();
        if (layer.Nested is { } nested)
        {
            t.AddRange(layer.Weights);
            foreach (var child in nested.Layers)
            {
                var (ct, cn) = Split(child);
                t.AddRange(ct);
                n.AddRange(cn);
            }
        }
        else
        {
            foreach (var w in layer.Weights)
                (IsNonTrainable(layer, w) ? n : t).Add(w);
        }
        if (!layer.Trainable) return (new List<WeightTensor>(), t.Concat(n).ToList());
        return (t, n);
    }

    private static bool IsNonTrainable(LayerNode layer, WeightTensor w)
    {
        if (AllNonTrainableClasses.Contains(layer.ClassName)) return true;
        var shortName = w.ShortName;
        if (NonTrainableNames.Contains(shortName)) return true;
        // Keras 1 names carry the layer as a prefix: batchnormalization_1_running_mean.
        return NonTrainableNames.Any(s => shortName.EndsWith("_" + s, StringComparison.Ordinal));
    }
}
