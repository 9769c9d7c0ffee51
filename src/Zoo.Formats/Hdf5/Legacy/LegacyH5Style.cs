using Zoo.Formats.Ir;

namespace Zoo.Formats.Hdf5.Legacy;

/// <summary>How one string attribute was stored: kind and charset (fixed sizes are recomputed, as NumPy does).</summary>
public readonly record struct H5StringStyle(H5StringKind Kind, H5CharSet CharSet)
{
    /// <summary>Variable-length UTF-8, what h5py writes for a Python <c>str</c>.</summary>
    public static H5StringStyle VlenUtf8 { get; } = new(H5StringKind.Variable, H5CharSet.Utf8);

    /// <summary>Variable-length ASCII, what h5py 3 writes for a Python <c>bytes</c> or a list of them.</summary>
    public static H5StringStyle VlenAscii { get; } = new(H5StringKind.Variable, H5CharSet.Ascii);

    /// <summary>Fixed-length NUL-padded ASCII, a NumPy <c>S</c> array.</summary>
    public static H5StringStyle FixedAscii { get; } = new(H5StringKind.Fixed, H5CharSet.Ascii);

    /// <summary>The style of an attribute as read.</summary>
    public static H5StringStyle Of(H5StringAttribute a) => new(a.Kind, a.CharSet);
}

/// <summary>
/// What a legacy Keras HDF5 file looked like beyond the model itself, so that writing a graph read from
/// one reproduces the same kinds of attributes: a null entry means the attribute was absent (Keras 1 wrote
/// no <c>backend</c>), and <see cref="TopLevelModelWeights"/> keeps the group tf.keras ≥ 2.13 and Keras 3 add.
/// </summary>
public sealed record LegacyH5Style : IFormatStyle
{
    /// <summary>tf.keras 2.15's conventions (checked against a file it wrote).</summary>
    public static LegacyH5Style TfKeras215 { get; } = new()
    {
        RootKerasVersion = H5StringStyle.VlenUtf8,
        RootBackend = H5StringStyle.VlenUtf8,
        ModelConfig = H5StringStyle.VlenAscii,
        TrainingConfig = H5StringStyle.VlenAscii,
        WeightsKerasVersion = H5StringStyle.VlenAscii,
        WeightsBackend = H5StringStyle.VlenAscii,
        LayerNames = H5StringStyle.VlenAscii,
        WeightNames = H5StringStyle.VlenAscii,
        OptimizerWeightNames = H5StringStyle.VlenAscii,
        TopLevelModelWeights = Array.Empty<WeightTensor>(),
    };

    /// <summary>Root <c>keras_version</c>.</summary>
    public H5StringStyle? RootKerasVersion { get; init; }

    /// <summary>Root <c>backend</c>; null when the source had none (Keras 1).</summary>
    public H5StringStyle? RootBackend { get; init; }

    /// <summary>Root <c>model_config</c>.</summary>
    public H5StringStyle ModelConfig { get; init; } = H5StringStyle.VlenAscii;

    /// <summary>Root <c>training_config</c>.</summary>
    public H5StringStyle TrainingConfig { get; init; } = H5StringStyle.VlenAscii;

    /// <summary><c>keras_version</c> on the weights group (model_weights); null when absent.</summary>
    public H5StringStyle? WeightsKerasVersion { get; init; }

    /// <summary><c>backend</c> on the weights group; null when absent.</summary>
    public H5StringStyle? WeightsBackend { get; init; }

    /// <summary><c>layer_names</c> when written in one piece (chunked lists are always fixed-length, as Keras writes them).</summary>
    public H5StringStyle LayerNames { get; init; } = H5StringStyle.FixedAscii;

    /// <summary><c>weight_names</c> of layer groups.</summary>
    public H5StringStyle WeightNames { get; init; } = H5StringStyle.FixedAscii;

    /// <summary><c>weight_names</c> of <c>optimizer_weights</c>.</summary>
    public H5StringStyle OptimizerWeightNames { get; init; } = H5StringStyle.FixedAscii;

    /// <summary>The <c>top_level_model_weights</c> group's weights (usually none); null when the group was absent.</summary>
    public IReadOnlyList<WeightTensor>? TopLevelModelWeights { get; init; }
}
