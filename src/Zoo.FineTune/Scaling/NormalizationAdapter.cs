using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;

namespace Zoo.FineTune.Scaling;

/// <summary>The statistics <see cref="NormalizationAdapter"/> computed for one layer.</summary>
/// <param name="Mean">Mean per kept-axis position (one value when no axis is kept).</param>
/// <param name="Variance">Population variance (divided by the count, as Keras computes it) per position.</param>
/// <param name="Count">Number of values reduced into each position (Keras's <c>count</c> weight).</param>
public sealed record NormalizationStatistics(double[] Mean, double[] Variance, long Count);

/// <summary>
/// Keras's <c>Normalization.adapt()</c> in C#: mean and variance of the data over every axis the layer does not
/// keep, stored as the layer's <c>mean</c>, <c>variance</c> and <c>count</c> weights (the names and dtypes Keras
/// gives them: float32, float32, int64), so the adapted layer saves, loads and runs like one adapted in Python.
/// </summary>
public static class NormalizationAdapter
{
    /// <summary>
    /// Computes the statistics of <paramref name="x"/> (shaped <paramref name="shape"/>, batch first, the layer's
    /// input layout) for a layer keeping <paramref name="keptAxes"/> (non-negative, never 0).
    /// </summary>
    public static NormalizationStatistics Compute(ReadOnlySpan<float> x, long[] shape, int[] keptAxes)
    {
        long total = shape.Aggregate(1L, (a, b) => a * b);
        if (total != x.Length || shape.Length == 0 || shape[0] == 0)
            throw new ArgumentException($"adapt data of shape [{string.Join(",", shape)}] needs {total} values and at least one sample, found {x.Length}");
        var strides = new long[shape.Length];
        for (int d = shape.Length - 1, s = 1; d >= 0; s *= (int)shape[d], d--) strides[d] = s;
        int positions = (int)keptAxes.Aggregate(1L, (a, axis) => a * shape[axis]);
        long count = total / positions;
        // Welford per position: one pass, stable for data far from zero.
        var mean = new double[positions];
        var m2 = new double[positions];
        var seen = new long[positions];
        for (long i = 0; i < x.Length; i++)
        {
            int p = 0;
            foreach (var axis in keptAxes) p = (int)(p * shape[axis] + i / strides[axis] % shape[axis]);
            double v = x[(int)i], delta = v - mean[p];
            mean[p] += delta / ++seen[p];
            m2[p] += delta * (v - mean[p]);
        }
        return new(mean, m2.Select(s => s / count).ToArray(), count);
    }

    /// <summary>
    /// Adapts the <c>Normalization</c> layer <paramref name="layerName"/> of <paramref name="graph"/> (searched in
    /// nested models too) to <paramref name="x"/>, replacing its weights; returns the statistics.
    /// </summary>
    /// <exception cref="ModelFormatException">No such layer, it is not a Normalization layer, or its config fixes mean and variance.</exception>
    public static NormalizationStatistics Adapt(ModelGraph graph, string layerName, ReadOnlySpan<float> x, long[] shape)
    {
        var node = Find(graph, layerName)
            ?? throw new ModelFormatException($"model '{graph.Name}': expected a layer named '{layerName}' to adapt, found none", null, $"layers/{layerName}");
        if (LayerSpecs.Read(node, graph.Metadata.Dialect) is not NormalizationSpec spec)
            throw new ModelFormatException($"layer '{layerName}': expected a Normalization layer to adapt, found {node.ClassName}", null, $"layers/{layerName}");
        if (spec.Mean is not null)
            throw new ModelFormatException($"layer '{layerName}': mean and variance are fixed in its config, so there is nothing to adapt", null, $"layers/{layerName}/config/mean");
        var kept = spec.KeptAxes(shape.Length);
        var stats = Compute(x, shape, kept);
        var keptShape = kept.Select(a => shape[a]).ToArray();
        node.Weights.Clear();
        node.Weights.Add(WeightTensor.FromFloat32($"{node.Name}/mean:0", keptShape, stats.Mean.Select(v => (float)v).ToArray()));
        node.Weights.Add(WeightTensor.FromFloat32($"{node.Name}/variance:0", keptShape, stats.Variance.Select(v => (float)v).ToArray()));
        node.Weights.Add(new WeightTensor($"{node.Name}/count:0", Array.Empty<long>(), DType.Int64, BitConverter.GetBytes(stats.Count)));
        return stats;
    }

    private static LayerNode? Find(ModelGraph graph, string name)
    {
        foreach (var layer in graph.Layers)
        {
            if (layer.Name == name) return layer;
            if (layer.Nested is { } nested && Find(nested, name) is { } inner) return inner;
        }
        return null;
    }
}
