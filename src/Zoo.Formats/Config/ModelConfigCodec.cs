using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Config;

/// <summary>
/// Turns a Keras model config (<c>{"class_name": ..., "config": ...}</c>, any dialect) into a
/// <see cref="ModelGraph"/> and back. The one place that knows the config's shape.
/// </summary>
public static class ModelConfigCodec
{
    /// <summary>Parses a model config object; <paramref name="file"/> names the source in errors.</summary>
    public static ModelGraph Parse(JsonNode modelConfig, string? file = null)
        => throw new NotImplementedException("ModelConfigCodec.Parse: in progress");

    /// <summary>Writes the graph's model config in <paramref name="dialect"/> (the graph's own when null).</summary>
    public static JsonObject Write(ModelGraph graph, KerasDialectKind? dialect = null)
        => throw new NotImplementedException("ModelConfigCodec.Write: in progress");
}
