using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Dialects;
using Zoo.Formats.Hdf5;
using Zoo.Formats.IO;
using Zoo.Formats.Ir;

namespace Zoo.Formats.KerasV3;

/// <summary>
/// Keras 3 <c>.keras</c> archives (<c>model.save("m.keras")</c>): a zip of <c>metadata.json</c>, <c>config.json</c>,
/// <c>model.weights.h5</c> and optional <c>assets/…</c>. Also reads the <c>.keras</c> files tf.keras 2.15 wrote
/// (Keras 2 config dialect, and on Windows backslash-joined group names in the weights).
/// </summary>
public static class KerasArchive
{
    /// <summary>
    /// Weight stores up to this size are inflated in memory (reserved from the budget); larger ones go through
    /// a temp file, so that a large model's memory holds its weights once, not once inflated and once decoded.
    /// </summary>
    private const long InMemoryWeightsBytes = 64L << 20;

    private static readonly UTF8Encoding Utf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads an archive, refusing zip-slip names and zip bombs (<see cref="LoadOptions.MaxArchiveBytes"/>,
    /// <see cref="LoadOptions.MaxCompressionRatio"/>), and binds its weights strictly onto its architecture.
    /// </summary>
    public static ModelGraph Read(string path, LoadOptions? options = null)
    {
        options ??= LoadOptions.Default;
        using var budget = ReadBudget.Use(options, out _);
        using var zip = new SafeZipReader(path, options);
        var configEntry = zip.Find(ArchiveEntryNames.Config)
            ?? throw new ModelFormatException("expected a config.json entry (a .keras archive holds metadata.json, config.json and model.weights.h5), found none", path, ArchiveEntryNames.Config);
        var metadata = zip.Find(ArchiveEntryNames.Metadata) is { } m ? ReadJsonObject(zip, m, path) : null;
        var kerasVersion = KerasVariableLayout.Str(metadata, "keras_version");
        var graph = ModelConfigCodec.Parse(KerasJson.Parse(ReadText(zip, configEntry, path), path, ArchiveEntryNames.Config), path, kerasVersion);

        if (zip.Find(ArchiveEntryNames.WeightsH5) is { } weights)
            WeightStoreMapper.Attach(graph, ReadStore(zip, weights, path, options), $"{path}:{ArchiveEntryNames.WeightsH5}");
        else if (zip.Find(ArchiveEntryNames.WeightsNpz) is not null)
            throw new UnsupportedFeatureException("weights saved with weights_format=\"npz\" (model.weights.npz) are not supported; re-save with the default weights_format=\"h5\"", path, ArchiveEntryNames.WeightsNpz);
        else
            throw new ModelFormatException("expected a model.weights.h5 entry, found none", path, ArchiveEntryNames.WeightsH5);

        foreach (var entry in zip.Entries)
            if (entry.FullName is not (ArchiveEntryNames.Config or ArchiveEntryNames.Metadata or ArchiveEntryNames.WeightsH5))
                graph.Metadata.ArchiveAssets[entry.FullName] = zip.ReadAll(entry);
        graph.Metadata.ArchiveMetadata = metadata;
        if (kerasVersion is not null) graph.Metadata.KerasVersion = kerasVersion;
        graph.Metadata.SourceFormat = KerasFormat.KerasArchive;
        return graph;
    }

    /// <summary>
    /// Writes an archive Keras 3 can load, deterministically (fixed entry order and timestamps) and atomically.
    /// The config is written in <see cref="SaveOptions.Dialect"/>, Keras 3 when null.
    /// </summary>
    public static void Write(ModelGraph graph, string path, SaveOptions? options = null)
    {
        options ??= SaveOptions.Default;
        if (!graph.HasArchitecture)
            throw new UnsupportedFeatureException($"model '{graph.Name}' has no architecture (it came from a weights-only file); a .keras archive needs one", path);
        var dialect = options.Dialect ?? KerasDialectKind.Keras3;
        var config = ModelConfigCodec.Write(graph, dialect);
        if (!options.IncludeOptimizer) config.Remove("compile_config");
        var metadata = ArchiveMetadata.For(graph, dialect, options);
        // Keras 3 names weight groups after Keras 3 class names (a Keras 1 Convolution2D is stored as
        // conv2d), so the store is laid out from the Keras 3 reading of the graph.
        var storeGraph = graph.Metadata.Dialect == KerasDialectKind.Keras3 ? graph : DialectTranslator.TranslateReporting(graph, KerasDialectKind.Keras3);
        var store = WeightStoreBuilder.Build(storeGraph, options.IncludeOptimizer, path);
        AtomicFile.Write(path, target =>
        {
            using var zip = new DeterministicZipWriter(target);
            zip.Add(ArchiveEntryNames.Metadata, Utf8.GetBytes(KerasJson.Serialize(metadata)));
            zip.Add(ArchiveEntryNames.Config, Utf8.GetBytes(KerasJson.Serialize(config)));
            using (var weights = zip.Open(ArchiveEntryNames.WeightsH5)) H5TreeWriter.Write(store, weights, options.Progress);
            foreach (var (name, bytes) in graph.Metadata.ArchiveAssets)
            {
                ArchiveEntryNames.RequireSafe(name, path);
                if (name is ArchiveEntryNames.Metadata or ArchiveEntryNames.Config or ArchiveEntryNames.WeightsH5)
                    throw new ModelFormatException("an archive asset may not replace one of the archive's own entries", path, name);
                zip.Add(name, bytes);
            }
        });
    }

    private static H5TreeGroup ReadStore(SafeZipReader zip, ZipArchiveEntry entry, string path, LoadOptions options)
    {
        var name = $"{path}:{entry.FullName}";
        if (entry.Length <= InMemoryWeightsBytes)
        {
            zip.Reserve(entry, entry.Length);
            using var buffer = new MemoryStream((int)Math.Max(0, entry.Length));
            zip.CopyTo(entry, buffer);
            buffer.Position = 0;
            return H5TreeReader.Read(buffer, name, options);
        }
        var temp = Path.Combine(Path.GetTempPath(), $"zoo-{Guid.NewGuid():N}.weights.h5");
        using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        zip.CopyTo(entry, file);
        file.Position = 0;
        return H5TreeReader.Read(file, name, options);
    }

    private static JsonObject ReadJsonObject(SafeZipReader zip, ZipArchiveEntry entry, string path)
        => KerasJson.Parse(ReadText(zip, entry, path), path, entry.FullName) as JsonObject
           ?? throw new ModelFormatException("expected a JSON object", path, entry.FullName);

    private static string ReadText(SafeZipReader zip, ZipArchiveEntry entry, string path)
    {
        try
        {
            return Utf8.GetString(zip.ReadAll(entry));
        }
        catch (DecoderFallbackException e)
        {
            throw new ModelFormatException($"expected UTF-8 text, found an invalid byte at offset {e.Index}", path, entry.FullName, e);
        }
    }
}
