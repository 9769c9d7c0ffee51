using Zoo.Formats.Ir;

namespace Zoo.Formats;

/// <summary>Options for reading Keras files.</summary>
public sealed class LoadOptions
{
    /// <summary>Defaults: safe mode on.</summary>
    public static LoadOptions Default { get; } = new();

    /// <summary>Refuse anything Keras's safe mode refuses (always on; kept for API symmetry with Keras).</summary>
    public bool SafeMode { get; init; } = true;

    /// <summary>Largest total uncompressed size accepted from a zip archive (default 8 GiB).</summary>
    public long MaxArchiveBytes { get; init; } = 8L << 30;

    /// <summary>Largest accepted ratio of uncompressed to compressed size for a zip entry (default 200).</summary>
    public double MaxCompressionRatio { get; init; } = 200;
}

/// <summary>Options for writing Keras files.</summary>
public sealed class SaveOptions
{
    /// <summary>Defaults: guess the format from the file name, write tf.keras 2.15 style.</summary>
    public static SaveOptions Default { get; } = new();

    /// <summary>The format to write; null guesses it from the file name.</summary>
    public KerasFormat? Format { get; init; }

    /// <summary>The config dialect to write; null keeps the graph's own for JSON/YAML/H5, and Keras 3 for <c>.keras</c>.</summary>
    public KerasDialectKind? Dialect { get; init; }

    /// <summary>Write the training config and optimizer state when the graph has them (default true).</summary>
    public bool IncludeOptimizer { get; init; } = true;

    /// <summary>The <c>keras_version</c> written when the graph has none of the target dialect (default "2.15.0").</summary>
    public string DefaultKerasVersion { get; init; } = "2.15.0";
}

/// <summary>
/// The front door: load any Keras file into a <see cref="ModelGraph"/> and save a graph in any Keras format.
/// The format is detected from content, never from the file name.
/// </summary>
public static partial class KerasFile
{
    /// <summary>Reads any Keras file (H5 full or weights-only, JSON, YAML, .keras, .weights.h5), detected from content.</summary>
    public static ModelGraph Load(string path, LoadOptions? options = null)
        => throw new NotImplementedException("KerasFile.Load: in progress");

    /// <summary>Reads an architecture file (JSON, YAML, H5 full, .keras) and binds a weights file onto it by layer name.</summary>
    public static ModelGraph Load(string architecturePath, string weightsPath, LoadOptions? options = null)
        => throw new NotImplementedException("KerasFile.Load: in progress");

    /// <summary>Writes <paramref name="graph"/> in <see cref="SaveOptions.Format"/>, or the format guessed from the name.</summary>
    public static void Save(ModelGraph graph, string path, SaveOptions? options = null)
        => throw new NotImplementedException("KerasFile.Save: in progress");

    /// <summary>Detects a file's format from its content; throws <see cref="ModelFormatException"/> when it is none of them.</summary>
    public static KerasFormat DetectFormat(string path)
        => throw new NotImplementedException("KerasFile.DetectFormat: in progress");

    /// <summary>The format a file name suggests (<c>.h5</c>/<c>.hdf5</c> full model, <c>.weights.h5</c> Keras 3 weights, <c>.json</c>, <c>.yaml</c>/<c>.yml</c>, <c>.keras</c>); null when none.</summary>
    public static KerasFormat? FormatFromFileName(string path)
        => throw new NotImplementedException("KerasFile.FormatFromFileName: in progress");
}
