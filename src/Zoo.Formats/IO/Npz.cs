using System.IO.Compression;

namespace Zoo.Formats.IO;

/// <summary>Reads and writes NumPy <c>.npz</c> archives (a zip of <c>name.npy</c> entries, stored or deflated).</summary>
public static class Npz
{
    /// <summary>Largest accepted ratio of an entry's uncompressed to compressed size.</summary>
    private const double MaxRatio = 1000;

    /// <summary>Reads every array, keyed by entry name without <c>.npy</c>, in archive order.</summary>
    public static IReadOnlyList<KeyValuePair<string, NpyArray>> Read(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var result = new List<KeyValuePair<string, NpyArray>>();
            foreach (var e in zip.Entries)
            {
                if (e.FullName.EndsWith('/')) continue;
                if (e.CompressedLength > 0 && (double)e.Length / e.CompressedLength > MaxRatio)
                    throw new UnsafeModelException($"expected a compression ratio under {MaxRatio}, found {(double)e.Length / e.CompressedLength:F0}", path, e.FullName);
                using var s = e.Open();
                using var ms = new MemoryStream();
                s.CopyTo(ms);
                ms.Position = 0;
                var key = e.FullName.EndsWith(".npy", StringComparison.Ordinal) ? e.FullName[..^4] : e.FullName;
                result.Add(new(key, Npy.Read(ms, $"{path}:{e.FullName}")));
            }
            return result;
        }
        catch (InvalidDataException e) { throw new ModelFormatException($"expected an .npz zip archive, found corrupt data: {e.Message}", path, null, e); }
        catch (IOException e) { throw new ModelFormatException($"expected a readable .npz file, found an I/O error: {e.Message}", path, null, e); }
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
