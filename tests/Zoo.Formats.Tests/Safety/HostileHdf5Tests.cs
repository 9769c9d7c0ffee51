using System.IO.Compression;
using System.Text;
using Zoo.Formats.KerasV3;
using Zoo.Formats.Tests.Fuzzing.Hostile;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.Safety;

/// <summary>
/// Issue 15's HDF5 classes, each from a small file h5py makes with one twist: every one is refused with a
/// <see cref="ZooException"/> naming the object, before PureHDF follows a link or allocates what a declaration asks.
/// </summary>
public sealed class HostileHdf5Tests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private string Make(string kind, int seed = 1)
    {
        Skip.IfNot(HostileH5.Available, HostileH5.AbsentReason);
        var folder = Directory.CreateDirectory(Path.Combine(dir.Path, kind)).FullName;
        var path = Path.Combine(folder, "model.weights.h5");
        HostileH5.Make(kind, path, seed);
        return path;
    }

    private static T Refused<T>(string path) where T : ZooException
    {
        var e = Assert.Throws<T>(() => KerasFile.Load(path));
        Assert.Equal(path, e.File);
        return e;
    }

    [SkippableFact]
    public void A_soft_link_to_itself_is_refused_before_anything_follows_it()
    {
        var e = Refused<UnsafeModelException>(Make("soft_self"));
        Assert.EndsWith("/loop", e.ObjectPath);
        Assert.Contains("soft link", e.Detail);
    }

    [SkippableFact]
    public void Two_soft_links_pointing_at_each_other_in_a_compact_group_are_refused()
        => Assert.Contains("soft link", Refused<UnsafeModelException>(Make("soft_cycle")).Detail);

    [SkippableFact]
    public void A_group_holding_a_hard_link_to_its_ancestor_is_refused_as_a_second_link()
        => Assert.Contains("second link", Refused<UnsafeModelException>(Make("hard_cycle")).Detail);

    [SkippableFact]
    public void A_dangling_external_link_is_refused_not_dropped()
        => Assert.Contains("external link", Refused<UnsafeModelException>(Make("ext_dangling")).Detail);

    [SkippableFact]
    public async Task An_external_link_is_refused_before_the_file_it_names_is_opened()
    {
        // The target is a FIFO: opening it would block this test forever.
        var path = Make("ext_fifo");
        var read = Task.Run(() => Assert.Throws<UnsafeModelException>(() => KerasFile.Load(path)));
        Assert.Same(read, await Task.WhenAny(read, Task.Delay(TimeSpan.FromMinutes(2)))); // otherwise it opened the FIFO
        Assert.Contains("before opening", (await read).Detail);
    }

    [SkippableFact]
    public void A_soft_link_in_dense_link_storage_is_refused_before_it_is_followed()
        => Refused<UnsupportedFeatureException>(Make("dense_soft"));

    [SkippableFact]
    public void A_backslash_joined_group_name_deeper_than_the_nesting_cap_is_refused()
    {
        var e = Refused<UnsafeModelException>(Make("backslash", seed: 3));
        Assert.Contains("backslash", e.Detail);
    }

    [SkippableFact]
    public void A_backslash_bomb_inside_a_keras_archive_is_refused()
    {
        var weights = Make("backslash", seed: 3);
        var path = dir.File("bomb.keras");
        HostileZip.Write(path, [new("config.json", Encoding.UTF8.GetBytes(HostileGenerators.TinyConfig)), new("model.weights.h5", File.ReadAllBytes(weights))]);
        var e = Assert.Throws<UnsafeModelException>(() => KerasArchive.Read(path));
        Assert.Contains("backslash", e.Detail);
    }

    [SkippableFact]
    public void Chunked_datasets_with_missing_chunks_are_refused_once_their_total_passes_the_budget()
        => Assert.Contains("budget", Refused<UnsafeModelException>(Make("chunk_missing")).Detail);

    [SkippableFact]
    public void Gzip_chunks_that_each_fit_but_together_pass_the_budget_are_refused()
        => Assert.Contains("budget", Refused<UnsafeModelException>(Make("chunk_gzip")).Detail);

    [SkippableFact]
    public void A_tiny_dataset_declaring_a_gigabyte_chunk_is_refused_before_the_chunk_is_inflated()
    {
        var e = Refused<UnsafeModelException>(Make("chunk_huge"));
        Assert.Contains("chunks of", e.Detail);
    }

    [SkippableFact]
    public void A_gzip_chunk_inflating_past_its_declared_size_is_refused()
        => Assert.Contains("inflates past its declared size", Refused<UnsafeModelException>(Make("chunk_overflow")).Detail);

    [SkippableFact]
    public void Variable_length_strings_referencing_one_heap_object_many_times_are_budgeted_by_their_decoded_total()
    {
        var e = Refused<UnsafeModelException>(Make("vlen_repeat"));
        Assert.Equal("/@many", e.ObjectPath);
    }

    [SkippableFact]
    public void The_budget_is_the_callers_to_lower_or_raise()
    {
        // 16 MiB of gzip-compressed zeros in a file of a few kilobytes (a ratio the caller allows here): over a 1 MiB budget, within the default.
        Skip.IfNot(HostileH5.Available, HostileH5.AbsentReason);
        var path = dir.File("zeros.weights.h5");
        Hdf5.H5Py.Exec($"import h5py, numpy as np\nwith h5py.File('{path}', 'w') as f:\n" +
                       "    f.create_dataset('layers/dense/vars/0', data=np.zeros((2048, 2048), 'f4'), chunks=(256, 1024), compression='gzip')\n    f.create_group('vars')");
        Assert.True(new FileInfo(path).Length < 1 << 20);

        var e = Assert.Throws<UnsafeModelException>(() => KerasFile.Load(path, new LoadOptions { MaxMemoryBytes = 1 << 20, MaxCompressionRatio = 1e6 }));
        Assert.Contains("MaxMemoryBytes", e.Detail);
        var budget = new ReadBudget();
        KerasFile.Load(path, new LoadOptions { Budget = budget, MaxCompressionRatio = 1e6 });
        Assert.True(budget.Used >= 16L << 20, $"reserved {budget.Used:N0} bytes");
    }
}
