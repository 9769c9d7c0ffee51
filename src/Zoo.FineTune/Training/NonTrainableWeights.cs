using Zoo.Formats.Layers;

namespace Zoo.FineTune.Training;

/// <summary>
/// The weights Keras creates with <c>trainable=False</c> inside otherwise trainable layers: they are updated
/// by the layer's own call (moving statistics, renorm statistics, spectral norm's u, weight norm's flag and
/// data-init clone), never by the optimizer.
/// </summary>
internal static class NonTrainableWeights
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "renorm_mean", "renorm_stddev", "vector_u", "initialized",
    };

    /// <summary>True when <paramref name="w"/> is one of them.</summary>
    public static bool Is(WeightSpec w)
        => w.Name.StartsWith("moving_", StringComparison.Ordinal) || Names.Contains(w.Name)
           || w.Scope == WeightNormalizationSpec.CloneScope;
}
