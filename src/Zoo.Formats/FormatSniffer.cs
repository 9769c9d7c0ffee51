using System.Text;

namespace Zoo.Formats;

/// <summary>The container a file's first bytes reveal, before any format-specific reading.</summary>
internal enum Container
{
    Hdf5,
    Zip,
    Json,
    Yaml,
}

/// <summary>Looks at a file's leading bytes to tell HDF5, zip, JSON and YAML apart — never at its name.</summary>
internal static class FormatSniffer
{
    private static readonly byte[] Hdf5Signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a];

    public static Container Sniff(string path)
    {
        byte[] head;
        long length;
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            length = fs.Length;
            head = new byte[(int)Math.Min(4096, length)];
            fs.ReadExactly(head);
            if (IsHdf5At(head, 0)) return Container.Hdf5;
            // HDF5 allows a user block of 512·2^n bytes before the superblock.
            for (long offset = 512; offset + 8 <= length && offset <= (1L << 24); offset *= 2)
            {
                var sig = new byte[8];
                fs.Position = offset;
                fs.ReadExactly(sig);
                if (IsHdf5At(sig, 0)) return Container.Hdf5;
            }
        }
        catch (FileNotFoundException e) { throw new ModelFormatException("expected an existing file, found none", path, null, e); }
        catch (DirectoryNotFoundException e) { throw new ModelFormatException("expected an existing file, found none", path, null, e); }
        catch (UnauthorizedAccessException e) { throw new ModelFormatException("expected a readable file, found access denied", path, null, e); }
        catch (IOException e) { throw new ModelFormatException($"expected a readable file, found an I/O error: {e.Message}", path, null, e); }

        if (head.Length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2], head[3]) is (3, 4) or (5, 6)) return Container.Zip;
        var text = Encoding.UTF8.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (text.StartsWith('{') || text.StartsWith('[')) return Container.Json;
        if (head.Length == 0)
            throw new ModelFormatException("expected a Keras file (HDF5, .keras zip, JSON or YAML), found an empty file", path);
        if (head.Any(b => b == 0) || !LooksLikeYaml(text))
            throw new ModelFormatException($"expected a Keras file (HDF5, .keras zip, JSON or YAML), found content starting with {Describe(head)}", path);
        return Container.Yaml;
    }

    private static bool IsHdf5At(byte[] b, int o) => b.Length >= o + 8 && b.AsSpan(o, 8).SequenceEqual(Hdf5Signature);

    private static bool LooksLikeYaml(string text)
        => text.StartsWith("---", StringComparison.Ordinal) || text.Contains("class_name:", StringComparison.Ordinal)
           || text.Split('\n', 2)[0].TrimEnd().EndsWith(':') || text.Split('\n', 2)[0].Contains(": ", StringComparison.Ordinal);

    private static string Describe(byte[] head)
        => "0x" + Convert.ToHexString(head.AsSpan(0, Math.Min(8, head.Length))).ToLowerInvariant();
}
