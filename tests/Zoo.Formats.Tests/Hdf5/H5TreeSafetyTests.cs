using Zoo.Formats.Hdf5;

namespace Zoo.Formats.Tests.Hdf5;

public class H5TreeSafetyTests
{
    private static string Make(TempDir dir, string name, string body)
    {
        var path = dir.File(name);
        H5Py.Exec($"import h5py, numpy as np\nwith h5py.File({Py(path)}, 'w') as f:\n    f.create_dataset('a', data=np.arange(3.0))\n{body}");
        return path;
    }

    private static string Py(string s) => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    [SkippableFact]
    public void A_soft_link_to_an_existing_object_is_refused()
    {
        using var dir = new TempDir();
        var path = Make(dir, "soft.h5", "    f['b'] = h5py.SoftLink('/a')");
        var e = Assert.Throws<UnsafeModelException>(() => H5TreeReader.Read(path));
        Assert.Contains("soft link", e.Message);
        Assert.Equal(path, e.File);
    }

    [SkippableFact]
    public void A_dangling_soft_link_is_refused()
    {
        using var dir = new TempDir();
        var path = Make(dir, "dangling.h5", "    f['b'] = h5py.SoftLink('/nowhere')");
        var e = Assert.Throws<UnsafeModelException>(() => H5TreeReader.Read(path));
        Assert.Equal("/b", e.ObjectPath);
    }

    [SkippableFact]
    public void An_external_link_is_refused_even_when_its_target_exists()
    {
        using var dir = new TempDir();
        Make(dir, "target.h5", "    f.create_group('g')");
        var path = Make(dir, "ext.h5", $"    f['b'] = h5py.ExternalLink({Py(dir.File("target.h5"))}, '/g')");
        Assert.Throws<UnsafeModelException>(() => H5TreeReader.Read(path));
        var relative = Make(dir, "extrel.h5", "    f['b'] = h5py.ExternalLink('target.h5', '/g')");
        Assert.Throws<UnsafeModelException>(() => H5TreeReader.Read(relative));
    }

    [SkippableFact]
    public void A_second_hard_link_to_one_dataset_is_refused()
    {
        using var dir = new TempDir();
        var path = Make(dir, "alias.h5", "    f['b'] = f['a']");
        Assert.Throws<UnsafeModelException>(() => H5TreeReader.Read(path));
    }

    [SkippableFact]
    public void A_virtual_dataset_is_refused()
    {
        using var dir = new TempDir();
        var path = Make(dir, "vds.h5",
            "    layout = h5py.VirtualLayout(shape=(3,), dtype='f8')\n" +
            "    layout[:] = h5py.VirtualSource('.', 'a', shape=(3,))\n" +
            "    f.create_virtual_dataset('v', layout)");
        Assert.Throws<UnsafeModelException>(() => H5TreeReader.Read(path));
    }

    [SkippableFact]
    public void A_dataset_stored_in_an_external_raw_file_is_refused()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("raw.bin"), new byte[24]);
        var path = Make(dir, "extds.h5", $"    f.create_dataset('e', shape=(3,), dtype='f8', external=[({Py(dir.File("raw.bin"))}, 0, 24)])");
        Assert.Throws<UnsafeModelException>(() => H5TreeReader.Read(path));
    }

    [SkippableFact]
    public void A_dataset_declaring_more_bytes_than_the_file_holds_is_refused_before_reading()
    {
        using var dir = new TempDir();
        var path = Make(dir, "bomb.h5", "    f.create_dataset('big', shape=(1 << 20, 1 << 20), dtype='f4')");
        var e = Assert.Throws<UnsafeModelException>(() => H5TreeReader.Read(path));
        Assert.Equal("/big", e.ObjectPath);
    }

    [SkippableFact]
    public void Groups_nested_deeper_than_the_cap_are_refused()
    {
        using var dir = new TempDir();
        var path = Make(dir, "deep.h5", $"    f.create_group('/'.join(['g'] * {H5TreeReader.MaxDepth + 2}))");
        Assert.Throws<UnsafeModelException>(() => H5TreeReader.Read(path));
        var ok = Make(dir, "shallow.h5", "    f.create_group('/'.join(['g'] * 10))");
        Assert.NotNull(H5TreeReader.Read(ok).Find(string.Join("/", Enumerable.Repeat("g", 10))));
    }

    [Fact]
    public void Garbage_bytes_raise_a_model_format_exception_naming_the_file()
    {
        var e = Assert.Throws<ModelFormatException>(() => H5TreeReader.Read(new MemoryStream(new byte[300]), "junk.h5"));
        Assert.Equal("junk.h5", e.File);
    }
}
