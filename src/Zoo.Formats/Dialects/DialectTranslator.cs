using Zoo.Formats.Ir;

namespace Zoo.Formats.Dialects;

/// <summary>Translates a graph's configs from one Keras dialect to another (placeholder until the full translator lands).</summary>
public static class DialectTranslator
{
    /// <summary>Returns a translated copy of <paramref name="graph"/> in <paramref name="target"/>'s dialect.</summary>
    public static ModelGraph Translate(ModelGraph graph, KerasDialectKind target)
        => throw new UnsupportedFeatureException($"translating model '{graph.Name}' from {graph.Metadata.Dialect} to {target} is not available yet");
}
