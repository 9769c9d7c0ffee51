using System.IO.Compression;

namespace Zoo.Formats.IO;

/// <summary>
/// Reads and writes NumPy <c>.npz</c> archives (a zip of <c>name.npy</c> entries, stored or deflated). Reading
/// inflates only the entries asked for, each straight into its array under a compression-ratio cap, with the
/// arrays' bytes reserved from the command's <see cref="ReadBudget"/> before they are allocated.
/// </summary>
public static class Npz
{
    /// <summary>Largest accepted ratio of an entry's uncompressed to compressed size.</summary>
    private const double MaxRatio = 1000;

    /// <summary>Entries may inflate to this many bytes whatever their ratio (small headers compress well).</summary>
    private const long RatioFloorBytes = 1 << 20;

    /// <summary>Reads every array, keyed by entry name without <c>.npy</c>, in archive order.</summary>
    public static IReadOnlyList<KeyValuePair<string, NpyArray>> Read(string path, LoadOptions? options = null)
        => ReadCore(path, null, options);

    /// <summary>Reads only the arrays named in <paramref name="keys"/> (entry names without <c>.npy</c>); other entries are never inflated.</summary>
    public static IReadOnlyList<KeyValuePair<string, NpyArray>> Read(string path, IReadOnlyCollection<string> keys, LoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return ReadCore(path, keys, options);
    }

    /// <summary>The archive's array names (entry names without <c>.npy</c>), without inflating anything.</summary>
    public static IReadOnlyList<string> Keys(string path)
        => Open(path, zip => zip.Entries.Where(e => !e.FullName.EndsWith('/')).Select(e => KeyOf(e.FullName)).ToList());

    private static List<KeyValuePair<string, NpyArray>> ReadCore(string path, IReadOnlyCollection<string>? keys, LoadOptions? options)
    {
        using var scope = ReadBudget.Use(options, out var budget);
        budget.CountInput(new FileInfo(path) is { Exists: true } f ? f.Length : 0);
        return Open(path, zip =>
        {
            var result = new List<KeyValuePair<string, NpyArray>>();
            foreach (var e in zip.Entries)
            {
                if (e.FullName.EndsWith('/')) continue;
                var key = KeyOf(e.FullName);
                if (keys is not null && !keys.Contains(key)) continue;
                if (e.CompressedLength > 0 && (double)e.Length / e.CompressedLength > MaxRatio)
                    throw new UnsafeModelException($"expected a compression ratio under {MaxRatio}, found {(double)e.Length / e.CompressedLength:F0}", path, e.FullName);
                // The header's sizes may lie: the array is held to what its compressed bytes can honestly inflate to.
                long cap = (long)Math.Min(long.MaxValue / 2.0, Math.Max(RatioFloorBytes, e.CompressedLength * MaxRatio));
                using var s = e.Open();
                result.Add(new(key, Npy.Read(s, $"{path}:{e.FullName}", cap)));
            }
            return result;
        });
    }

    private static string KeyOf(string entry) => entry.EndsWith(".npy", StringComparison.Ordinal) ? entry[..^4] : entry;

    private static T Open<T>(string path, Func<ZipArchive, T> read)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return read(zip);
        }
        catch (InvalidDataException e) { throw new ModelFormatException($"expected an .npz zip archive, found corrupt data: {e.Message}", path, null, e); }
        catch (IOException e) { throw new ModelFormatException($"expected a readable .npz file, found an I/O error: {e.Message}", path, null, e); }
        catch (UnauthorizedAccessException e) { throw new ModelFormatException("expected a readable .npz file, found access denied", path, null, e); }
    }

    /// <summary>Writes <paramref name="arrays"/> as an uncompressed <c>.npz</c> (as <c>numpy.savez</c>), atomically.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, NpyArray>> arrays)
        => AtomicFile.Write(path, fs =>
        {
            using var zip = new ZipArchive(fs, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, array) in arrays)
            {
                var entry = zip.CreateEntry(name + ".npy", CompressionLevel.NoCompression);
                using var s = entry.Open();
                Npy.Write(s, array);
            }
        });
}
