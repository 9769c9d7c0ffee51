using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Dialects;

/// <summary>Tells which generation of Keras wrote a model config — the one place that decides it.</summary>
public static class KerasDialect
{
    /// <summary>Detects the dialect from the config's content, with the Keras version as a tiebreaker.</summary>
    public static KerasDialectKind Detect(JsonNode modelConfig, string? kerasVersion)
    {
        var text = modelConfig.ToJsonString();
        if (text.Contains("\"registered_name\"", StringComparison.Ordinal) && text.Contains("\"module\"", StringComparison.Ordinal)
            && (text.Contains("\"batch_shape\"", StringComparison.Ordinal) || text.Contains("__keras_tensor__", StringComparison.Ordinal)))
            return KerasDialectKind.Keras3;
        if (kerasVersion is { Length: > 0 })
        {
            if (kerasVersion.StartsWith("1.", StringComparison.Ordinal)) return KerasDialectKind.Keras1;
            if (kerasVersion.StartsWith("3.", StringComparison.Ordinal)) return KerasDialectKind.Keras3;
            return KerasDialectKind.Keras2;
        }
        if (text.Contains("\"border_mode\"", StringComparison.Ordinal) || text.Contains("\"output_dim\"", StringComparison.Ordinal)
            || text.Contains("\"nb_filter\"", StringComparison.Ordinal) || text.Contains("\"class_name\": \"Merge\"", StringComparison.Ordinal)
            || text.Contains("\"class_name\":\"Merge\"", StringComparison.Ordinal))
            return KerasDialectKind.Keras1;
        return KerasDialectKind.Keras2;
    }
}
