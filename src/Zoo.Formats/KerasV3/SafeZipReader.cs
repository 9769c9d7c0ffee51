using System.IO.Compression;

namespace Zoo.Formats.KerasV3;

/// <summary>
/// Reads the entries of a zip archive without trusting its headers: every name is checked for zip-slip,
/// every entry must be a regular file or a folder (not a symbolic link or device), and the bytes a
/// decompressor actually produces are counted against a total cap, a per-entry compression ratio and a
/// ratio for the archive as a whole (many small entries, or entries sharing one compressed stream, each
/// pass a per-entry check), so a bomb is stopped while it inflates rather than after. What is inflated
/// into memory is reserved from the command's <see cref="ReadBudget"/> first.
/// </summary>
internal sealed class SafeZipReader : IDisposable
{
    /// <summary>Below this many produced bytes an entry's ratio is not judged: tiny JSON compresses well.</summary>
    private const long RatioFloorBytes = 1 << 20;

    /// <summary>Below this many produced bytes the archive's overall ratio is not judged.</summary>
    private const long ArchiveRatioFloorBytes = 16L << 20;

    /// <summary>Unix file types in the high half of a zip entry's external attributes.</summary>
    private const int UnixTypeMask = 0xF000, UnixRegular = 0x8000, UnixDirectory = 0x4000;

    private readonly string file;
    private readonly LoadOptions options;
    private readonly FileStream stream;
    private readonly ZipArchive zip;
    private readonly ReadBudget budget;
    private readonly long archiveCap;
    private long produced;

    /// <summary>Opens <paramref name="path"/>; a file that is not a readable zip raises <see cref="ModelFormatException"/>.</summary>
    public SafeZipReader(string path, LoadOptions options)
    {
        file = path;
        this.options = options;
        budget = ReadBudget.For(options);
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException($"cannot open the archive: {e.Message}", path, inner: e);
        }
        budget.CountInput(stream.Length);
        archiveCap = (long)Math.Min(options.MaxArchiveBytes, Math.Max(ArchiveRatioFloorBytes, Math.Min(long.MaxValue / 2.0, stream.Length * options.MaxCompressionRatio)));
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
            Entries = zip.Entries.ToList();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            stream.Dispose();
            throw new ModelFormatException($"not a readable zip archive (expected a Keras .keras file): {e.Message}", path, inner: e);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long declared = 0;
        foreach (var entry in Entries)
        {
            CheckDeclared(entry);
            declared += Math.Max(0, entry.Length);
            if (declared > archiveCap)
                throw Bomb(entry, declared > options.MaxArchiveBytes
                    ? $"the archive's entries declare {declared:N0} bytes or more together, over LoadOptions.MaxArchiveBytes ({options.MaxArchiveBytes})"
                    : $"the archive's entries declare {declared:N0} bytes or more together, over {archiveCap:N0} ({options.MaxCompressionRatio}x the archive's {stream.Length:N0} bytes, LoadOptions.MaxCompressionRatio)");
            ArchiveEntryNames.RequireSafe(entry.FullName, file);
            RequireRegular(entry);
            if (!seen.Add(entry.FullName))
                throw new ModelFormatException("zip entry appears twice; expected unique entry names", file, entry.FullName);
        }
    }

    /// <summary>The archive's entries in stored order.</summary>
    public IReadOnlyList<ZipArchiveEntry> Entries { get; }

    /// <summary>The entry named <paramref name="name"/>, or null.</summary>
    public ZipArchiveEntry? Find(string name) => Entries.FirstOrDefault(e => e.FullName == name);

    /// <summary>Decompresses an entry into memory under the caps, reserving its declared size from the budget first.</summary>
    public byte[] ReadAll(ZipArchiveEntry entry)
    {
        // The bytes are held twice for a moment (the stream's buffer and the array returned).
        budget.Reserve(entry.Length, "zip entry", file, entry.FullName);
        budget.RequireHeadroom(entry.Length, "zip entry", file, entry.FullName);
        using var buffer = new MemoryStream((int)Math.Min(entry.Length, Array.MaxLength));
        CopyTo(entry, buffer);
        return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
    }

    /// <summary>Reserves <paramref name="bytes"/> from the budget for an entry the caller inflates into memory.</summary>
    public void Reserve(ZipArchiveEntry entry, long bytes) => budget.Reserve(bytes, "zip entry", file, entry.FullName);

    /// <summary>Decompresses an entry into <paramref name="target"/>, counting every byte produced.</summary>
    public void CopyTo(ZipArchiveEntry entry, Stream target)
    {
        long mine = 0;
        long ratioCap = (long)Math.Min(long.MaxValue / 2.0, Math.Max(1, entry.CompressedLength) * options.MaxCompressionRatio);
        var chunk = new byte[81920];
        try
        {
            using var source = entry.Open();
            int n;
            while ((n = source.Read(chunk, 0, chunk.Length)) > 0)
            {
                mine += n;
                produced += n;
                if (produced > archiveCap)
                    throw Bomb(entry, produced > options.MaxArchiveBytes
                        ? $"the archive inflates past {options.MaxArchiveBytes} bytes (LoadOptions.MaxArchiveBytes)"
                        : $"the archive's entries together inflate past {archiveCap:N0} bytes, {options.MaxCompressionRatio}x the archive's {stream.Length:N0} bytes (LoadOptions.MaxCompressionRatio)");
                if (mine > RatioFloorBytes && mine > ratioCap)
                    throw Bomb(entry, $"the entry inflates past {options.MaxCompressionRatio}x its {entry.CompressedLength} compressed bytes (LoadOptions.MaxCompressionRatio)");
                if (mine > entry.Length)
                    throw new ModelFormatException($"zip entry inflates past the {entry.Length} bytes its header declares", file, entry.FullName);
                if ((mine & ((1 << 24) - 1)) < n) budget.CheckTime("zip entry", file, entry.FullName);
                target.Write(chunk, 0, n);
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new ModelFormatException($"corrupt zip entry: {e.Message}", file, entry.FullName, e);
        }
        if (mine != entry.Length)
            throw new ModelFormatException($"zip entry inflated to {mine} bytes; its header declares {entry.Length}", file, entry.FullName);
    }

    private void CheckDeclared(ZipArchiveEntry entry)
    {
        if (entry.Length > options.MaxArchiveBytes)
            throw Bomb(entry, $"the entry declares {entry.Length} bytes, over LoadOptions.MaxArchiveBytes ({options.MaxArchiveBytes})");
        if (entry.Length > RatioFloorBytes && entry.Length > Math.Max(1, entry.CompressedLength) * options.MaxCompressionRatio)
            throw Bomb(entry, $"the entry declares {entry.Length} bytes from {entry.CompressedLength} compressed, over LoadOptions.MaxCompressionRatio ({options.MaxCompressionRatio})");
    }

    /// <summary>An entry made on Unix carries its file type: only regular files and folders are archive content.</summary>
    private void RequireRegular(ZipArchiveEntry entry)
    {
        int type = (entry.ExternalAttributes >> 16) & UnixTypeMask;
        if (type is 0 or UnixRegular or UnixDirectory) return;
        var kind = type == 0xA000 ? "a symbolic link" : $"a special file (Unix file type {type >> 12})";
        throw new UnsafeModelException($"zip entry is {kind}; expected regular files and folders only", file, entry.FullName);
    }

    private UnsafeModelException Bomb(ZipArchiveEntry entry, string why)
        => new($"refusing a possible zip bomb: {why}", file, entry.FullName);

    /// <inheritdoc/>
    public void Dispose() => zip.Dispose();
}
