using System.IO.Compression;

namespace Zoo.Formats.KerasV3;

/// <summary>
/// Reads the entries of a zip archive without trusting its headers: every name is checked for zip-slip,
/// and the bytes a decompressor actually produces are counted against a total cap and a per-entry
/// compression ratio, so a bomb is stopped while it inflates rather than after.
/// </summary>
internal sealed class SafeZipReader : IDisposable
{
    /// <summary>Below this many produced bytes an entry's ratio is not judged: tiny JSON compresses well.</summary>
    private const long RatioFloorBytes = 1 << 20;

    private readonly string file;
    private readonly LoadOptions options;
    private readonly FileStream stream;
    private readonly ZipArchive zip;
    private long produced;

    /// <summary>Opens <paramref name="path"/>; a file that is not a readable zip raises <see cref="ModelFormatException"/>.</summary>
    public SafeZipReader(string path, LoadOptions options)
    {
        file = path;
        this.options = options;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException($"cannot open the archive: {e.Message}", path, inner: e);
        }
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
        foreach (var entry in Entries)
        {
            ArchiveEntryNames.RequireSafe(entry.FullName, file);
            if (!seen.Add(entry.FullName))
                throw new ModelFormatException("zip entry appears twice; expected unique entry names", file, entry.FullName);
            CheckDeclared(entry);
        }
    }

    /// <summary>The archive's entries in stored order.</summary>
    public IReadOnlyList<ZipArchiveEntry> Entries { get; }

    /// <summary>The entry named <paramref name="name"/>, or null.</summary>
    public ZipArchiveEntry? Find(string name) => Entries.FirstOrDefault(e => e.FullName == name);

    /// <summary>Decompresses an entry into memory under the caps.</summary>
    public byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var buffer = new MemoryStream();
        CopyTo(entry, buffer);
        return buffer.ToArray();
    }

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
                if (produced > options.MaxArchiveBytes)
                    throw Bomb(entry, $"the archive inflates past {options.MaxArchiveBytes} bytes (LoadOptions.MaxArchiveBytes)");
                if (mine > RatioFloorBytes && mine > ratioCap)
                    throw Bomb(entry, $"the entry inflates past {options.MaxCompressionRatio}x its {entry.CompressedLength} compressed bytes (LoadOptions.MaxCompressionRatio)");
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

    private UnsafeModelException Bomb(ZipArchiveEntry entry, string why)
        => new($"refusing a possible zip bomb: {why}", file, entry.FullName);

    /// <inheritdoc/>
    public void Dispose() => zip.Dispose();
}
