using Zoo.Formats.Ir;

namespace Zoo.Formats.Hdf5.Legacy;

/// <summary>
/// Legacy Keras HDF5: full models from <c>model.save('m.h5')</c> (Keras 1.x, 2.x, tf.keras, Keras 3's
/// legacy writer) and weights from <c>model.save_weights('w.h5')</c>. Which one a file is comes from its
/// content: a root <c>model_config</c> attribute means a full model, a root <c>layer_names</c> a weights file.
/// </summary>
public static class LegacyH5
{
    /// <summary>Reads a legacy HDF5 file: a full model (architecture, weights, training config, optimizer state) or a weights-only graph.</summary>
    public static ModelGraph Read(string path, LoadOptions? o = null)
        => LegacyH5Reader.Read(H5TreeReader.Read(path, o), path);

    /// <summary>Reads a legacy HDF5 file from a stream; <paramref name="fileName"/> names it in errors.</summary>
    public static ModelGraph Read(Stream stream, string? fileName = null, LoadOptions? o = null)
        => LegacyH5Reader.Read(H5TreeReader.Read(stream, fileName, o), fileName);

    /// <summary>Reads an already loaded HDF5 tree as a legacy Keras file.</summary>
    public static ModelGraph Read(H5TreeGroup root, string? fileName = null) => LegacyH5Reader.Read(root, fileName);

    /// <summary>Detects a legacy Keras HDF5 file from its root attributes only (no dataset is read); null when it is not one.</summary>
    public static KerasFormat? Detect(string path, LoadOptions? o = null) => Detect(H5TreeReader.ReadRoot(path, o));

    /// <summary><see cref="KerasFormat.H5Full"/> or <see cref="KerasFormat.H5Weights"/> from the tree's root attributes; null when it is neither.</summary>
    public static KerasFormat? Detect(H5TreeGroup root)
    {
        if (root.Attributes.Contains("model_config")) return KerasFormat.H5Full;
        if (root.Attributes.Contains("layer_names") || root.Attributes.Contains("layer_names0")) return KerasFormat.H5Weights;
        return null;
    }

    /// <summary>
    /// Writes <paramref name="g"/> as a legacy HDF5 file, atomically: a full model (config, weights, training
    /// config and optimizer state unless <see cref="SaveOptions.IncludeOptimizer"/> is false), or with
    /// <paramref name="weightsOnly"/> what <c>save_weights</c> writes.
    /// </summary>
    public static void Write(ModelGraph g, string path, SaveOptions? o = null, bool weightsOnly = false)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(path);
        H5TreeWriter.Write(BuildTree(g, o, weightsOnly, path), path, o?.Progress);
    }

    /// <summary>The HDF5 tree <see cref="Write(ModelGraph, string, SaveOptions?, bool)"/> writes (for writing to a stream or inspecting).</summary>
    public static H5TreeGroup BuildTree(ModelGraph g, SaveOptions? o = null, bool weightsOnly = false, string? fileName = null)
        => LegacyH5Writer.Build(g, o ?? SaveOptions.Default, weightsOnly, fileName);
}
