using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Formats.KerasV3;

/// <summary>
/// The <c>metadata.json</c> a written archive gets. An archive's own metadata is kept verbatim when it
/// matches the dialect written; otherwise <c>keras_version</c> is the graph's (when of that generation) or
/// <see cref="SaveOptions.DefaultKeras3Version"/> / <see cref="SaveOptions.DefaultKerasVersion"/>, and
/// <c>date_saved</c> is the source's or the zip epoch <c>1980-01-01@00:00:00</c>, so writes stay reproducible.
/// </summary>
internal static class ArchiveMetadata
{
    /// <summary>Keras's <c>date_saved</c> format for the zip epoch every entry is stamped with.</summary>
    public const string FixedDate = "1980-01-01@00:00:00";

    /// <summary>The metadata object to write for <paramref name="graph"/> in <paramref name="dialect"/>.</summary>
    public static JsonObject For(ModelGraph graph, KerasDialectKind dialect, SaveOptions options)
    {
        var source = graph.Metadata.ArchiveMetadata;
        if (source is not null && SameGeneration(KerasVariableLayout.Str(source, "keras_version"), dialect))
            return (JsonObject)source.DeepClone();
        var version = SameGeneration(graph.Metadata.KerasVersion, dialect)
            ? graph.Metadata.KerasVersion!
            : dialect == KerasDialectKind.Keras3 ? options.DefaultKeras3Version : options.DefaultKerasVersion;
        return new JsonObject
        {
            ["keras_version"] = version,
            ["date_saved"] = KerasVariableLayout.Str(source, "date_saved") ?? FixedDate,
        };
    }

    private static bool SameGeneration(string? version, KerasDialectKind dialect)
        => version is not null && (dialect == KerasDialectKind.Keras3) == version.StartsWith("3.", StringComparison.Ordinal);
}
