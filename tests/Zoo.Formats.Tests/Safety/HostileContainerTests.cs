using System.Text;
using Zoo.Formats.IO;
using Zoo.Formats.KerasV3;
using Zoo.Formats.Tests.Fuzzing.Hostile;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.Safety;

/// <summary>
/// Issue 15's zip, tfjs, npz/npy and text classes, from the hostile generators with fixed seeds (the
/// same generators bench/Zoo.Fuzz runs by the thousand): each ends in a <see cref="ZooException"/>, never
/// a crash, an untyped exception, or gigabytes.
/// </summary>
public sealed class HostileContainerTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    /// <summary>The first seed whose case <paramref name="make"/> writes satisfies <paramref name="wanted"/> (the generators pick a variant per seed).</summary>
    private string Case(Func<string, Random, string> make, Func<string, bool> wanted)
    {
        for (int seed = 0; seed < 500; seed++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(dir.Path, $"s{seed}", "model")).FullName;
            var path = make(folder, new Random(seed));
            if (wanted(path)) return path;
        }
        throw new InvalidOperationException("no seed made the wanted case");
    }

    private static bool Has(string path, string text) => File.ReadAllText(path).Contains(text, StringComparison.Ordinal);

    private static bool ZipHas(string path, string entry) => System.IO.Compression.ZipFile.OpenRead(path) is var z && Using(z, () => z.Entries.Any(e => e.FullName.StartsWith(entry, StringComparison.Ordinal)));

    private static T Using<T>(IDisposable d, Func<T> f)
    {
        using (d) return f();
    }

    [Fact]
    public void Central_directory_entries_sharing_one_compressed_entry_are_refused_by_the_archive_wide_ratio()
    {
        var path = dir.File("aliases.keras");
        HostileZip.Write(path, [new("config.json", Encoding.UTF8.GetBytes(HostileGenerators.TinyConfig)), new("assets/a", new byte[(1 << 20) - 10])], aliases: 2000);
        Assert.True(new FileInfo(path).Length < 200_000);
        var e = Assert.Throws<UnsafeModelException>(() => KerasArchive.Read(path));
        Assert.Contains("together", e.Detail);
    }

    [Fact]
    public void Many_asset_entries_each_under_the_per_entry_floor_are_refused_together()
    {
        var zeros = new byte[(1 << 20) - 10];
        var path = dir.File("assets.keras");
        HostileZip.Write(path, [new("config.json", Encoding.UTF8.GetBytes(HostileGenerators.TinyConfig)), .. Enumerable.Range(0, 1500).Select(i => new HostileZip.Entry($"assets/{i}", zeros))]);
        Assert.Throws<UnsafeModelException>(() => KerasArchive.Read(path));
    }

    [Fact]
    public void An_archive_entry_that_is_a_symbolic_link_is_refused()
    {
        var path = dir.File("link.keras");
        HostileZip.Write(path, [new("config.json", Encoding.UTF8.GetBytes(HostileGenerators.TinyConfig)), new("assets/link", "/etc/passwd"u8.ToArray(), Deflate: false, UnixMode: 0xA1FF)]);
        var e = Assert.Throws<UnsafeModelException>(() => KerasArchive.Read(path));
        Assert.Equal("assets/link", e.ObjectPath);
    }

    [Fact]
    public void A_lone_surrogate_escape_in_a_keras_config_is_bad_input()
    {
        var path = Case(HostileGenerators.KerasZip, p => !ZipHas(p, "assets/"));
        Assert.Throws<ModelFormatException>(() => KerasFile.Load(path));
    }

    [Fact]
    public void A_tfjs_shard_listed_many_times_is_refused()
    {
        var path = Case(HostileGenerators.Tfjs, p => Has(p, "\"group1-shard1of1.bin\", \"group1-shard1of1.bin\""));
        Assert.Contains("listed twice", Assert.Throws<UnsafeModelException>(() => KerasFile.Load(path)).Detail);
    }

    [Fact]
    public void A_tfjs_shard_that_is_a_symbolic_link_is_refused_wherever_it_points()
    {
        var path = Case(HostileGenerators.Tfjs, p => new FileInfo(Path.Combine(Path.GetDirectoryName(p)!, "group1-shard1of1.bin")).LinkTarget is not null);
        Assert.Contains("symbolic link", Assert.Throws<UnsafeModelException>(() => KerasFile.Load(path)).Detail);
    }

    [Fact]
    public void A_tfjs_shard_inside_a_linked_folder_is_refused()
    {
        var path = Case(HostileGenerators.Tfjs, p => Has(p, "sub/w.bin"));
        Assert.Contains("symbolic link", Assert.Throws<UnsafeModelException>(() => KerasFile.Load(path)).Detail);
    }

    [Fact]
    public void A_tfjs_shard_name_with_a_nul_is_refused_as_bad_input()
        => Assert.Throws<UnsafeModelException>(() => KerasFile.Load(Case(HostileGenerators.Tfjs, p => Has(p, "\\u0000"))));

    [Fact]
    public void A_tfjs_shape_whose_byte_size_wraps_64_bits_is_refused()
        => Assert.Throws<UnsafeModelException>(() => KerasFile.Load(Case(HostileGenerators.Tfjs, p => Has(p, "[46116860184273"))));

    [Fact]
    public void Tfjs_weight_sizes_adding_up_past_2_to_the_63_are_refused()
        => Assert.Throws<UnsafeModelException>(() => KerasFile.Load(Case(HostileGenerators.Tfjs, p => Has(p, "dense/bias"))));

    [Fact]
    public async Task A_tfjs_shard_that_is_a_fifo_is_refused_without_opening_it()
    {
        var path = Case(HostileGenerators.Tfjs, p => Has(p, "group1-fifo.bin"));
        var read = Task.Run(() => Assert.ThrowsAny<ZooException>(() => KerasFile.Load(path)));
        Assert.Same(read, await Task.WhenAny(read, Task.Delay(TimeSpan.FromMinutes(2))));
        await read;
    }

    [Fact]
    public void An_npz_reader_never_inflates_an_entry_it_was_not_asked_for()
    {
        var path = Case(HostileGenerators.NpzCase, p => ZipHas(p, "junk.npy"));
        var arrays = Npz.Read(path, ["x", "y"]);
        Assert.Equal(["x", "y"], arrays.Select(a => a.Key));
        Assert.ThrowsAny<ZooException>(() => Npz.Read(path));
    }

    [Fact]
    public void An_npz_entry_whose_header_declares_more_than_its_compressed_bytes_hold_is_refused_before_allocating()
    {
        var path = Case(HostileGenerators.NpzCase, p => System.IO.Compression.ZipFile.OpenRead(p) is var z
            && Using(z, () => new StreamReader(z.GetEntry("x.npy")!.Open()).ReadToEnd().Contains(", 1000)", StringComparison.Ordinal)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<UnsafeModelException>(() => Npz.Read(path, ["x", "y"]));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20);
    }

    [Fact]
    public void An_npy_v3_descr_with_non_ascii_digits_is_bad_input()
    {
        var path = dir.File("digits.npy");
        File.WriteAllBytes(path, HostileGenerators.NpyBytes("{'descr': '<f\u0664', 'fortran_order': False, 'shape': (2, 2), }", new byte[16], major: 3));
        Assert.Throws<ModelFormatException>(() => Npy.Read(path));
    }

    [Theory]
    [InlineData("!!python/name:os.system")]
    [InlineData("!!python/object/apply:os.system")]
    [InlineData("!custom")]
    public void A_yaml_tag_on_a_mapping_key_is_refused(string tag)
    {
        var path = dir.File("key.yaml");
        File.WriteAllText(path, $"class_name: Sequential\nconfig:\n  name: s\n  {tag} key: 1\n  layers: []\n");
        Assert.Throws<UnsafeModelException>(() => KerasFile.Load(path));
    }

    [Fact]
    public void A_yaml_float_with_a_leading_zero_is_read_as_pyyaml_reads_it()
    {
        var path = dir.File("zero.yaml");
        File.WriteAllText(path, "class_name: Sequential\nconfig:\n  name: s\n  layers:\n  - class_name: Dropout\n    config: {name: d, rate: 00.25, batch_input_shape: [null, 2]}\n");
        var graph = KerasFile.Load(path);
        Assert.Equal(0.25, graph.Layers.Single(l => l.Name == "d").Config["rate"]!.GetValue<double>());
    }

    [Fact]
    public void A_lone_surrogate_escape_in_a_json_config_is_bad_input()
        => Assert.Throws<ModelFormatException>(() => KerasFile.Load(Case(HostileGenerators.Text, p => p.EndsWith(".json", StringComparison.Ordinal) && Has(p, "\\udc"))));

    [Fact]
    public void Shared_budget_counts_every_reader_of_a_command()
    {
        var budget = new ReadBudget(maxBytes: 1000);
        budget.Reserve(600, "first", null, null);
        Assert.Throws<UnsafeModelException>(() => budget.Reserve(600, "second", null, null));
        budget.CountInput(500);
        budget.Reserve(600, "second, after an input file raised the allowance", null, null);
        Assert.Equal(1200, budget.Used);
        using (budget.Enter()) Assert.Same(budget, ReadBudget.For(null));
        Assert.NotSame(budget, ReadBudget.For(null));
    }
}
