using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Zoo.Formats.KerasV3;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.KerasV3;

public class KerasArchiveSafetyTests : IDisposable
{
    private const long OneGiB = 1L << 30;
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string Zip(string name, params (string Entry, byte[] Data)[] entries)
    {
        var path = temp.File(name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entry, data) in entries)
        {
            using var s = zip.CreateEntry(entry).Open();
            s.Write(data);
        }
        return path;
    }

    private const string EmptySequential = """{"class_name": "Sequential", "config": {"name": "s", "layers": []}}""";

    private static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>An archive whose model.weights.h5 is 1 GiB of zeros deflated to about a megabyte.</summary>
    private string ZeroBomb(string name)
    {
        var path = temp.File(name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var s = zip.CreateEntry("config.json").Open()) s.Write(Text(EmptySequential));
        using (var s = zip.CreateEntry("model.weights.h5", CompressionLevel.Optimal).Open())
        {
            var zeros = new byte[1 << 20];
            for (long written = 0; written < OneGiB; written += zeros.Length) s.Write(zeros);
        }
        return path;
    }

    [Theory]
    [InlineData("../evil.txt")]
    [InlineData("assets/../../evil.txt")]
    [InlineData("assets\\..\\..\\evil.txt")]
    [InlineData("/etc/evil.txt")]
    [InlineData("C:\\evil.txt")]
    public void An_entry_that_escapes_the_archive_folder_is_refused_as_unsafe(string entry)
    {
        var path = Zip("slip.keras", ("config.json", Text("{}")), (entry, Text("x")));

        var e = Assert.Throws<UnsafeModelException>(() => KerasArchive.Read(path));

        Assert.Equal(entry, e.ObjectPath);
        Assert.Equal(path, e.File);
    }

    [Fact]
    public void A_gigabyte_of_zeros_behind_a_small_compressed_entry_is_refused_as_a_bomb_before_inflating()
    {
        var path = ZeroBomb("bomb.keras");
        Assert.True(new FileInfo(path).Length < 8 << 20, $"{new FileInfo(path).Length} bytes");

        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<UnsafeModelException>(() => KerasArchive.Read(path));

        Assert.Equal("model.weights.h5", e.ObjectPath);
        Assert.Contains("MaxCompressionRatio", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_bomb_whose_headers_understate_its_size_never_inflates_past_them()
    {
        var path = ZeroBomb("lying.keras");
        PatchDeclaredSize(path, "model.weights.h5", 4096);

        var clock = Stopwatch.StartNew();
        var e = Assert.ThrowsAny<ZooException>(() => KerasArchive.Read(path));

        // Inflation stops at the declared size, so what is read is 4 KiB of zeros: not an HDF5 file.
        Assert.True(e is UnsafeModelException or ModelFormatException, e.GetType().Name);
        Assert.StartsWith(path, e.File);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public void The_archive_size_cap_counts_the_bytes_actually_inflated()
    {
        var path = Zip("big.keras", ("config.json", Text("{}")), ("assets/big.bin", new byte[3 << 20]));

        var e = Assert.Throws<UnsafeModelException>(() =>
            KerasArchive.Read(path, new LoadOptions { MaxArchiveBytes = 2 << 20, MaxCompressionRatio = 1e9 }));

        Assert.Equal("assets/big.bin", e.ObjectPath);
        Assert.Contains("MaxArchiveBytes", e.Message);
    }

    [SkippableFact]
    public void A_truncated_archive_is_a_format_error()
    {
        var bytes = File.ReadAllBytes(Fixtures.Path("hongong-practice/model-whole.keras"));
        var path = temp.File("truncated.keras");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<ModelFormatException>(() => KerasArchive.Read(path));

        Assert.Equal(path, e.File);
    }

    [Fact]
    public void An_archive_without_config_json_is_a_format_error_naming_it()
    {
        var path = Zip("noconfig.keras", ("metadata.json", Text("{\"keras_version\": \"3.10.0\"}")), ("model.weights.h5", new byte[16]));

        var e = Assert.Throws<ModelFormatException>(() => KerasArchive.Read(path));

        Assert.Equal("config.json", e.ObjectPath);
    }

    [SkippableFact]
    public void An_archive_with_npz_weights_is_reported_as_unsupported_by_name()
    {
        var config = ReadEntry(Fixtures.Path("hongong-practice/model-whole.keras"), "config.json");
        var path = Zip("npz.keras", ("config.json", config), ("model.weights.npz", new byte[16]));

        var e = Assert.Throws<UnsupportedFeatureException>(() => KerasArchive.Read(path));

        Assert.Equal("model.weights.npz", e.ObjectPath);
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_a_format_error()
    {
        var path = temp.File("garbage.keras");
        File.WriteAllBytes(path, Text("definitely not a zip archive"));

        Assert.Throws<ModelFormatException>(() => KerasArchive.Read(path));
    }

    private static byte[] ReadEntry(string zipPath, string entry)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        using var buffer = new MemoryStream();
        using (var s = zip.GetEntry(entry)!.Open()) s.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Rewrites the uncompressed size in the local and central headers of <paramref name="entry"/>.</summary>
    private static void PatchDeclaredSize(string path, string entry, uint size)
    {
        var bytes = File.ReadAllBytes(path);
        var name = Encoding.ASCII.GetBytes(entry);
        for (int i = 0; i + 46 < bytes.Length; i++)
        {
            uint sig = BitConverter.ToUInt32(bytes, i);
            if (sig == 0x04034b50 && bytes.AsSpan(i + 30, name.Length).SequenceEqual(name))
                BitConverter.TryWriteBytes(bytes.AsSpan(i + 22, 4), size);
            else if (sig == 0x02014b50 && bytes.AsSpan(i + 46, name.Length).SequenceEqual(name))
                BitConverter.TryWriteBytes(bytes.AsSpan(i + 24, 4), size);
        }
        File.WriteAllBytes(path, bytes);
    }
}
