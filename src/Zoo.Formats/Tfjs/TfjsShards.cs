namespace Zoo.Formats.Tfjs;

/// <summary>
/// Finds and reads a tfjs model's weight shards as untrusted names: a shard must be a plain relative name,
/// resolve inside the model's folder without passing through a symbolic link (a link inside the folder
/// could otherwise hand any file on the machine to the model as weights), be a regular file of exactly
/// the size the manifest implies, and its bytes are reserved from the command's budget before reading.
/// </summary>
internal static class TfjsShards
{
    /// <summary>The full path of shard <paramref name="name"/> inside <paramref name="dir"/>; refuses names that could leave it.</summary>
    public static string Resolve(string dir, string? name, string file, string where)
    {
        if (name is not null && name.Contains('\0'))
            throw new UnsafeModelException("expected a shard file name, found one containing a NUL character", file, where);
        if (string.IsNullOrEmpty(name) || name.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(name) || name.Contains('\\'))
            throw new UnsafeModelException($"expected a shard file name inside the model's folder, found '{name}'", file, where);
        var full = Path.GetFullPath(Path.Combine(dir, name));
        if (!full.StartsWith(dir + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new UnsafeModelException($"expected a shard file inside the model's folder, found '{name}'", file, where);
        return full;
    }

    /// <summary>True when something (of any kind) exists at <paramref name="shard"/>: a dangling link counts, and is refused when read.</summary>
    public static bool Exists(string shard) => new FileInfo(shard) is var f && (f.Exists || f.LinkTarget is not null || Directory.Exists(shard));

    /// <summary>
    /// The shards' bytes, concatenated: exactly <paramref name="needed"/> bytes, refused (before allocating) when
    /// a shard is not a regular file inside the folder or the sizes do not add up.
    /// </summary>
    public static byte[] ReadAll(IReadOnlyList<string> shards, long needed, ReadBudget budget, string file, string where)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        long declared = 0;
        var lengths = new long[shards.Count];
        for (int i = 0; i < shards.Count; i++)
        {
            lengths[i] = RegularLength(dir, shards[i], file, $"{where}/paths/{i}");
            declared += lengths[i];
            budget.CountInput(lengths[i]);
        }
        if (needed != declared)
            throw new ModelFormatException($"expected {needed} bytes of weights in the shards, found {declared}", file, where);
        if (needed > Array.MaxLength)
            throw new UnsupportedFeatureException($"weight groups over {Array.MaxLength:N0} bytes are not supported, found {needed:N0}", file, where);
        budget.Reserve(needed, "the weight shards", file, where);
        var data = GC.AllocateUninitializedArray<byte>((int)needed);
        int at = 0;
        for (int i = 0; i < shards.Count; i++)
        {
            ReadExactly(shards[i], data.AsSpan(at, (int)lengths[i]), file, $"{where}/paths/{i}");
            at += (int)lengths[i];
        }
        return data;
    }

    /// <summary>
    /// The shard's length, after checking that neither it nor a folder between <paramref name="dir"/> and it is a
    /// symbolic link, and that it is a regular file (devices and FIFOs report length 0 and are never opened: a
    /// FIFO would block the open, a device would never end).
    /// </summary>
    private static long RegularLength(string dir, string shard, string file, string where)
    {
        for (var p = shard; p.Length > dir.Length; p = Path.GetDirectoryName(p)!)
        {
            FileSystemInfo info = p == shard ? new FileInfo(p) : new DirectoryInfo(p);
            if (info.LinkTarget is { } target)
                throw new UnsafeModelException($"expected shard '{Path.GetRelativePath(dir, shard)}' to be a regular file inside the model's folder, found a symbolic link ('{Path.GetRelativePath(dir, p)}' → '{target}')", file, where);
        }
        var f = new FileInfo(shard);
        if (!f.Exists || (f.Attributes & (FileAttributes.Directory | FileAttributes.Device | FileAttributes.ReparsePoint)) != 0)
            throw new UnsafeModelException($"expected shard '{Path.GetRelativePath(dir, shard)}' to be a regular file, found something else", file, where);
        return f.Length;
    }

    /// <summary>Reads exactly <paramref name="into"/>.Length bytes and checks the file ends there (it may not grow or be swapped meanwhile).</summary>
    private static void ReadExactly(string shard, Span<byte> into, string file, string where)
    {
        try
        {
            // Length 0 means nothing to read: a device or FIFO swapped in since the check is never opened.
            if (into.Length == 0) return;
            using var stream = new FileStream(shard, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            if (!stream.CanSeek || stream.Length != into.Length)
                throw new UnsafeModelException($"shard '{Path.GetFileName(shard)}' changed while it was read (expected a regular file of {into.Length} bytes)", file, where);
            stream.ReadExactly(into);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException($"cannot read shard '{Path.GetFileName(shard)}': {e.Message}", file, where, e);
        }
    }
}
