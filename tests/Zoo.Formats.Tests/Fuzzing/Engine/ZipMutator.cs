using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Zoo.Formats.Tests.Fuzzing;

/// <summary>
/// Structural zip mutations (for <c>.keras</c> archives and <c>.npz</c>): an entry's content mutated by the
/// inner format's mutator, entries duplicated or renamed to escape the folder, a deflated bomb added, and
/// headers that lie — sizes, offsets and counts in local headers, the central directory and its end record.
/// </summary>
public sealed class ZipStructuralMutator(Func<string, byte[], Random, byte[]?> mutateEntry) : IStructuralMutator
{
    private static readonly string[] SlipNames = ["../evil.json", "/abs/config.json", "assets/../../x", "C:\\windows\\x", "assets\\..\\..\\y", "a/./../../b"];

    /// <inheritdoc/>
    public FuzzInput? Mutate(FuzzInput input, Random random)
    {
        List<(string Name, byte[] Bytes)> entries;
        try { entries = ReadEntries(input.Bytes); }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException) { return null; }
        if (entries.Count == 0) return null;
        string what;
        switch (random.Next(7))
        {
            case 0:
            case 1:
            case 2:
            {
                int i = random.Next(entries.Count);
                var mutated = mutateEntry(entries[i].Name, entries[i].Bytes, random);
                if (mutated is null) return null;
                entries[i] = (entries[i].Name, mutated);
                what = "entry:" + entries[i].Name;
                break;
            }
            case 3:
                entries.Add(entries[random.Next(entries.Count)]);
                what = "dupentry";
                break;
            case 4:
                entries.Add((SlipNames[random.Next(SlipNames.Length)], "{}"u8.ToArray()));
                what = "slip";
                break;
            case 5:
                return input.With("zip:bomb", AppendBomb(input.Bytes, random));
            default:
                return input.With("zip:headerlie", LieInHeaders(input.Bytes, random, out _));
        }
        return input.With("zip:" + what, WriteEntries(entries, random.Next(2) == 0));
    }

    /// <summary>Entries of a zip image, name and inflated content.</summary>
    public static List<(string Name, byte[] Bytes)> ReadEntries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var result = new List<(string, byte[])>();
        foreach (var e in archive.Entries)
        {
            if (e.Length > 64 << 20) throw new InvalidDataException("seed entry too large");
            using var s = e.Open();
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            result.Add((e.FullName, ms.ToArray()));
        }
        return result;
    }

    /// <summary>A zip image of <paramref name="entries"/>, stored or deflated.</summary>
    public static byte[] WriteEntries(IEnumerable<(string Name, byte[] Bytes)> entries, bool deflate)
    {
        using var ms = new MemoryStream();
        using (var z = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8))
        {
            foreach (var (name, bytes) in entries)
            {
                using var s = z.CreateEntry(name, deflate ? CompressionLevel.Fastest : CompressionLevel.NoCompression).Open();
                s.Write(bytes);
            }
        }
        return ms.ToArray();
    }

    /// <summary>Overwrites a size, offset or count field of a random local header, central directory record or end record.</summary>
    public static byte[] LieInHeaders(byte[] zip, Random r, out string what)
    {
        var fields = new List<(int Offset, int Width)>();
        for (int i = 0; i + 4 <= zip.Length; i++)
        {
            uint sig = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            if (sig == 0x04034b50 && i + 30 <= zip.Length) fields.AddRange([(i + 18, 4), (i + 22, 4), (i + 26, 2), (i + 28, 2)]);
            else if (sig == 0x02014b50 && i + 46 <= zip.Length) fields.AddRange([(i + 20, 4), (i + 24, 4), (i + 28, 2), (i + 30, 2), (i + 42, 4)]);
            else if (sig == 0x06054b50 && i + 22 <= zip.Length) fields.AddRange([(i + 8, 2), (i + 10, 2), (i + 12, 4), (i + 16, 4)]);
        }
        var b = (byte[])zip.Clone();
        if (fields.Count == 0) { what = "no-headers"; return b; }
        var (at, width) = fields[r.Next(fields.Count)];
        ulong v = ByteMutator.InterestingValue(zip.Length, r);
        Span<byte> buf = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(buf, v);
        buf[..width].CopyTo(b.AsSpan(at));
        what = $"field@{at}={v:x}";
        return b;
    }

    /// <summary>Adds (or replaces the weights with) 16 MiB of deflated zeros: a ratio near 1000, five times the cap.</summary>
    private static byte[] AppendBomb(byte[] zip, Random r)
    {
        List<(string Name, byte[] Bytes)> entries;
        try { entries = ReadEntries(zip); }
        catch (Exception e) when (e is InvalidDataException or IOException) { return zip; }
        var name = r.Next(2) == 0 ? "assets/bomb.bin" : entries[r.Next(entries.Count)].Name;
        entries.RemoveAll(e => e.Name == name);
        entries.Add((name, new byte[16 << 20]));
        return WriteEntries(entries, deflate: true);
    }
}
