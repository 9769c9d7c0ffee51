using System.Text.Json.Nodes;

namespace Zoo.Formats.Layers;

/// <summary>
/// The <c>Normalization</c> preprocessing layer: (x − mean) / max(√variance, 1e-7), or with Keras 3's
/// <c>invert</c> mean + x·max(√variance, 1e-7). Mean and variance come from the config when given there
/// (then the layer has no weights); otherwise from the weights mean, variance (shape: the input's sizes
/// on the kept <see cref="Axes"/>) and count (a scalar Keras keeps for adapt()).
/// </summary>
public sealed record NormalizationSpec(string Name, string ClassName, int[] Axes, double[]? Mean, double[]? Variance, bool Invert)
    : LayerSpec(Name, ClassName)
{
    /// <summary>Keras's backend epsilon, the floor of the standard deviation.</summary>
    public const double StdFloor = 1e-7;

    /// <summary>Reads the spec; <c>axis: null</c> keeps no axis (one mean for everything).</summary>
    public static NormalizationSpec Read(LayerConfig c)
    {
        var axisNode = c.Node.Config["axis"];
        int[] axes = c.Node.Config.ContainsKey("axis") && axisNode is null ? Array.Empty<int>() : AxisList.Read(c, -1);
        var mean = Numbers(c, "mean");
        var variance = Numbers(c, "variance");
        if ((mean is null) != (variance is null))
            throw c.Bad(mean is null ? "mean" : "variance", "mean and variance given together or not at all", c.Find(mean is null ? "mean" : "variance"));
        return new(c.Name, c.Node.ClassName, axes, mean, variance, c.Bool(false, "invert"));
    }

    /// <summary>The kept axes, non-negative, for an input of rank <paramref name="rank"/>.</summary>
    public int[] KeptAxes(int rank)
    {
        var kept = Axes.Select(a => AxisList.Normalize(a, rank)).ToArray();
        foreach (var a in kept)
            if (a <= 0 || a >= rank)
                throw new ModelFormatException($"layer '{Name}' (Normalization): axis {a} is not a non-batch axis of an input of rank {rank}", null, $"layers/{Name}/config/axis");
        return kept;
    }

    /// <summary>The shape mean and variance broadcast to: the input's size on kept axes, 1 elsewhere.</summary>
    public long[] BroadcastShape(long[] inputShape)
    {
        var kept = KeptAxes(inputShape.Length);
        return inputShape.Select((d, i) => kept.Contains(i) ? d : 1L).ToArray();
    }

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        if (Mean is not null) return Array.Empty<WeightSpec>();
        var shape = ShapeMath.Single(inputShapes, Name);
        var kept = KeptAxes(shape.Length).Select(a => shape[a]).ToArray();
        return new WeightSpec[] { new("mean", kept), new("variance", kept), new("count", Array.Empty<long>()) };
    }

    private static double[]? Numbers(LayerConfig c, string key)
    {
        var v = c.Find(key);
        if (v is null) return null;
        var list = new List<double>();
        void Walk(JsonNode? n)
        {
            if (n is JsonArray a) { foreach (var e in a) Walk(e); return; }
            if (n is JsonValue jv && jv.TryGetValue(out double d)) { list.Add(d); return; }
            throw c.Bad(key, "a number or a (nested) list of numbers", v);
        }
        Walk(v);
        return list.ToArray();
    }

    /// <inheritdoc/>
    /// <remarks>mean, variance and count come from <c>adapt()</c>: none is trainable.</remarks>
    public override bool IsTrainableWeight(string storedName) => false;
}
