namespace Zoo.Formats.IO;

/// <summary>
/// Writes a file so that a crash at any moment leaves either the old file or the complete new one, and never
/// replaces what is not a file: see <see cref="OutputTarget"/> for how devices, pipes and links are handled.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes via <paramref name="write"/> to <paramref name="path"/> (see <see cref="OutputTarget.Write"/>).</summary>
    /// <exception cref="OutputPathException">The path is a directory, a socket or a block device.</exception>
    public static void Write(string path, Action<Stream> write) => OutputTarget.Resolve(path).Write(write);

    /// <summary>Writes text (UTF-8, no BOM).</summary>
    public static void WriteText(string path, string text)
        => Write(path, s => { var b = new System.Text.UTF8Encoding(false).GetBytes(text); s.Write(b); });
}
