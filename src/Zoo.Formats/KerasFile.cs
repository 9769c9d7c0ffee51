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

    /// <summary>Largest accepted ratio of uncompressed to compressed size for a zip entry or an archive as a whole (default 200).</summary>
    public double MaxCompressionRatio { get; init; } = 200;

    /// <summary>
    /// Bytes one load may decode from its files (weights, attributes, strings, inflated entries) beyond the size of
    /// the files themselves; default <see cref="ReadBudget.DefaultMaxBytes"/> (512 MiB). Raise it for a trusted file whose
    /// compressed weights inflate to more. Ignored when <see cref="Budget"/> is set or a budget is current (<see cref="ReadBudget.Enter"/>).
    /// </summary>
    public long MaxMemoryBytes { get; init; } = ReadBudget.DefaultMaxBytes;

    /// <summary>
    /// A budget shared with other loads of the same command; null uses the current one (<see cref="ReadBudget.Current"/>)
    /// or a new one per load built from <see cref="MaxMemoryBytes"/>.
    /// </summary>
    public ReadBudget? Budget { get; init; }

    /// <summary>
    /// How the layers of a separate legacy weights file pair with the architecture's (<see cref="KerasFile.Load(string, string, LoadOptions?)"/>):
    /// by name, falling back to Keras's order where a stored layer's name is not in the architecture (the default), or by
    /// position, as Keras's <c>load_weights(by_name=False)</c> does, for files saved under other automatic names
    /// (keras.applications' InceptionV3 file calls tf.keras's <c>conv2d</c> <c>conv2d_1</c>).
    /// </summary>
    public Weights.WeightBinding WeightBinding { get; init; } = Weights.WeightBinding.ByName;
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

    /// <summary>The <c>keras_version</c> written for Keras 3 output when the graph has none of that dialect (default "3.10.0").</summary>
    public string DefaultKeras3Version { get; init; } = "3.10.0";

    /// <summary>
    /// Told after each weight dataset is written (HDF5 full and weights files, <c>.keras</c> archives, Keras 3
    /// <c>.weights.h5</c>); null reports nothing. Called on the writing thread, in file order.
    /// </summary>
    public IProgress<IO.WriteProgress>? Progress { get; init; }
}
