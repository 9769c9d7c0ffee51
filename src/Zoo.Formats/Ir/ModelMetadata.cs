using System.Text.Json.Nodes;

namespace Zoo.Formats.Ir;

/// <summary>What a file says about who wrote it.</summary>
public sealed class ModelMetadata
{
    /// <summary>The <c>keras_version</c> attribute or metadata entry ("2.15.0", "3.7.0", "2.2.4-tf"); null when absent.</summary>
    public string? KerasVersion { get; set; }

    /// <summary>The <c>backend</c> attribute ("tensorflow", "theano", "cntk", "jax"); absent in Keras 1.</summary>
    public string? Backend { get; set; }

    /// <summary>
    /// True for a graph built in code whose weights are freshly initialized rather than trained or imported (a zoo
    /// model without a weights file): freezing such a base trains nothing useful. Never written to a file, so a
    /// saved and reloaded model counts as imported.
    /// </summary>
    public bool RandomWeights { get; set; }

    /// <summary>The config dialect the source was written in.</summary>
    public KerasDialectKind Dialect { get; set; } = KerasDialectKind.Keras2;

    /// <summary>The format the graph was read from; null for graphs built in code.</summary>
    public KerasFormat? SourceFormat { get; set; }

    /// <summary>A Keras 3 archive's <c>metadata.json</c>, kept verbatim.</summary>
    public JsonObject? ArchiveMetadata { get; set; }

    /// <summary>
    /// What a Keras 3 weight store held besides the weights mapped onto layers and the optimizer: group
    /// attributes (the <c>name</c> newer Keras writes on <c>vars</c> groups), metric state, groups Zoo does not
    /// know. Every mapped dataset is removed; writers lay the graph's weights back into a copy, so a round
    /// trip keeps the rest verbatim. Null for graphs not read from a Keras 3 store.
    /// </summary>
    public Hdf5.H5TreeGroup? WeightStoreRest { get; set; }

    /// <summary>Extra entries of a Keras 3 archive (<c>assets/...</c>), kept byte for byte.</summary>
    public SortedDictionary<string, byte[]> ArchiveAssets { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Conventions of the source file that a writer of the same format reuses to reproduce it (for legacy
    /// HDF5: which string kinds each attribute had); null for graphs built in code. Immutable, so clones share it.
    /// </summary>
    public IFormatStyle? SourceStyle { get; set; }
}

/// <summary>Marker for a format's record of how a source file was written (see <see cref="ModelMetadata.SourceStyle"/>); implementations are immutable.</summary>
public interface IFormatStyle
{
}
