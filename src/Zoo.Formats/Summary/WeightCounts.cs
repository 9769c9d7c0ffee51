using Zoo.Formats.Ir;

namespace Zoo.Formats.Summary;

/// <summary>Parameter counts from stored weights, split the way Keras splits them.</summary>
internal static class WeightCounts
{
    // Statistics that Keras keeps out of training: BatchNorm's moving averages (Keras 1: running_*).
    private static readonly HashSet<string> StatisticNames = new(StringComparer.Ordinal)
        { "moving_mean", "moving_variance", "running_mean", "running_std", "moving_var" };

    /// <summary>The layer's stored parameters; a nested model's are its layers', each with its own trainable flag.</summary>
    public static ParamCount Of(LayerNode layer)
    {
        if (layer.Nested is { } nested)
        {
            var sum = nested.Layers.Aggregate(Own(layer), (a, l) => a + Of(l));
            return layer.Trainable ? sum : sum.Frozen();
        }
        var own = Own(layer);
        return layer.Trainable ? own : own.Frozen();
    }

    private static ParamCount Own(LayerNode layer)
    {
        long total = layer.Weights.Sum(w => w.ElementCount());
        long statistics = layer.Weights.Where(w => StatisticNames.Contains(w.ShortName)).Sum(w => w.ElementCount());
        // Keras 3 stores BatchNorm variables by position (vars/0..3): gamma, beta, then the two statistics.
        if (statistics == 0 && layer.ClassName == "BatchNormalization" && layer.Weights.Count >= 2)
            statistics = layer.Weights.TakeLast(2).Sum(w => w.ElementCount());
        return new ParamCount(total - statistics, statistics);
    }
}
