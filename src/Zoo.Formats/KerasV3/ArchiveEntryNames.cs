namespace Zoo.Formats.KerasV3;

/// <summary>
/// The entry names a <c>.keras</c> archive may hold, and the zip-slip rule: no entry may name a path
/// outside the archive's own folder (absolute paths, drive letters, <c>..</c> segments, NUL bytes).
/// </summary>
internal static class ArchiveEntryNames
{
    /// <summary>The archive's metadata entry (<c>keras_version</c>, <c>date_saved</c>).</summary>
    public const string Metadata = "metadata.json";

    /// <summary>The model config entry.</summary>
    public const string Config = "config.json";

    /// <summary>The HDF5 weight store entry.</summary>
    public const string WeightsH5 = "model.weights.h5";

    /// <summary>The NumPy weight store Keras writes with <c>weights_format="npz"</c>.</summary>
    public const string WeightsNpz = "model.weights.npz";

    /// <summary>Folder of the files layers save with <c>save_assets</c>.</summary>
    public const string AssetsFolder = "assets/";

    /// <summary>Throws <see cref="UnsafeModelException"/> when <paramref name="name"/> could escape the archive's folder.</summary>
    public static void RequireSafe(string name, string file)
    {
        string? why = UnsafeReason(name);
        if (why is not null)
            throw new UnsafeModelException($"zip entry name is unsafe ({why}); expected a relative path inside the archive", file, name);
    }

    /// <summary>Why an entry name is unsafe, or null when it is safe.</summary>
    public static string? UnsafeReason(string name)
    {
        if (name.Length == 0) return "empty name";
        if (name.Contains('\0')) return "NUL character";
        var n = name.Replace('\\', '/');
        if (n.StartsWith('/')) return "absolute path";
        if (n.Length >= 2 && char.IsAsciiLetter(n[0]) && n[1] == ':') return "drive letter";
        if (n.Split('/').Any(seg => seg == "..")) return "'..' segment";
        return null;
    }
}
