namespace Zoo.Formats.Hdf5;

/// <summary>
/// Writes an <see cref="H5TreeGroup"/> as an HDF5 file readable by h5py and the HDF5 tools. The same tree
/// always gives the same bytes (no timestamps, fixed placement), string attributes keep the kind
/// (fixed or variable length) and charset they carry, and scalars stay scalars.
/// </summary>
public static class H5TreeWriter
{
    /// <summary>
    /// Writes <paramref name="root"/> to <paramref name="path"/> atomically: a temporary file in the same
    /// folder, then a rename over the target, so a crash never leaves half a file.
    /// </summary>
    public static void Write(H5TreeGroup root, string path) => Write(root, path, progress: null);

    /// <summary>As <see cref="Write(H5TreeGroup, string)"/>, telling <paramref name="progress"/> after each dataset.</summary>
    public static void Write(H5TreeGroup root, string path, IProgress<IO.WriteProgress>? progress)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(path);
        var layout = new H5FileLayout(root);
        IO.AtomicFile.Write(path, s => layout.Write(s, writeBehind: true, progress));
    }

    /// <summary>Writes <paramref name="root"/> to a writable stream.</summary>
    public static void Write(H5TreeGroup root, Stream stream) => Write(root, stream, progress: null);

    /// <summary>As <see cref="Write(H5TreeGroup, Stream)"/>, telling <paramref name="progress"/> after each dataset.</summary>
    public static void Write(H5TreeGroup root, Stream stream, IProgress<IO.WriteProgress>? progress)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(stream);
        new H5FileLayout(root).Write(stream, writeBehind: false, progress);
    }

    /// <summary>The file bytes of <paramref name="root"/>.</summary>
    public static byte[] ToBytes(H5TreeGroup root)
    {
        var ms = new MemoryStream();
        Write(root, ms);
        return ms.ToArray();
    }
}
