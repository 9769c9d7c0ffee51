using System.IO.Compression;

namespace Zoo.Formats.KerasV3;

/// <summary>
/// Writes zip entries the way Keras does (stored, not deflated) but reproducibly: every entry gets the
/// same 1980-01-01 timestamp, and entries go in the order given, so the same content gives the same bytes.
/// </summary>
internal sealed class DeterministicZipWriter : IDisposable
{
    /// <summary>The DOS epoch, the earliest time a zip header can hold.</summary>
    public static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ZipArchive zip;

    /// <summary>Starts an archive on <paramref name="target"/> (left open).</summary>
    public DeterministicZipWriter(Stream target) => zip = new ZipArchive(target, ZipArchiveMode.Create, leaveOpen: true);

    /// <summary>Adds an entry holding <paramref name="data"/>.</summary>
    public void Add(string name, ReadOnlySpan<byte> data)
    {
        using var s = Open(name);
        s.Write(data);
    }

    /// <summary>Adds an entry and returns the stream to write its content to.</summary>
    public Stream Open(string name)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        entry.LastWriteTime = FixedTime;
        return entry.Open();
    }

    /// <inheritdoc/>
    public void Dispose() => zip.Dispose();
}
