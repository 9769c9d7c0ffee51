using Zoo.Formats.Hdf5;

namespace Zoo.Formats.Tests.Hdf5;

/// <summary>
/// The reader copies contiguous datasets straight from the file; these pin that it gives exactly the bytes
/// h5py stored, at the right offset, and leaves every other layout (and every refusal) to PureHDF as before.
/// </summary>
public class H5DirectReadTests
{
    private static string Py(string s) => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    /// <summary>Writes datasets with h5py and, beside each, a .bin file holding the array's raw little-endian bytes.</summary>
    private static string Make(TempDir dir, string body, string open = "")
    {
        var path = dir.File("data.h5");
        H5Py.Exec(
            "import h5py, numpy as np\n" +
            $"raw = lambda name, a: open({Py(dir.Path)} + '/' + name + '.bin', 'wb').write(a.astype(a.dtype.newbyteorder('<')).tobytes())\n" +
            $"with h5py.File({Py(path)}, 'w'{open}) as f:\n{body}");
        return path;
    }

    private static byte[] Raw(TempDir dir, string name) => File.ReadAllBytes(dir.File(name + ".bin"));

    private static byte[] DataOf(H5TreeGroup root, string path) => ((H5TreeDataset)root.Find(path)!).Data;

    [SkippableFact]
    public void Every_numeric_dtype_reads_back_the_exact_bytes_h5py_stored()
    {
        using var dir = new TempDir();
        var path = Make(dir,
            "    pattern = bytes(range(256)) * 12\n" +
            "    for t in ['f2', 'f4', 'f8', 'i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8']:\n" +
            "        a = np.frombuffer(pattern, dtype='<' + t).reshape(4, -1)\n" +
            "        f.create_dataset(t, data=a)\n" +
            "        raw(t, a)\n" +
            "    b = np.array([True, False, True, True])\n" +
            "    f.create_dataset('bool', data=b)\n" +
            "    raw('bool', b)\n");
        var root = H5TreeReader.Read(path);
        foreach (var t in new[] { "f2", "f4", "f8", "i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "bool" })
            Assert.Equal(Raw(dir, t), DataOf(root, t));
    }

    [SkippableFact]
    public void A_dataset_larger_than_one_read_slice_keeps_every_bit_including_nan_payloads()
    {
        using var dir = new TempDir();
        // 6M float32 = 24 MB: read in several parallel slices; the bit patterns include NaNs with payloads.
        var path = Make(dir,
            "    a = (np.arange(6_000_000, dtype=np.uint64) * 2654435761 % 2**32).astype(np.uint32).view(np.float32)\n" +
            "    f.create_dataset('g/big', data=a.reshape(3000, 2000))\n" +
            "    raw('big', a)\n");
        var data = DataOf(H5TreeReader.Read(path), "g/big");
        Assert.Equal(24_000_000, data.Length);
        Assert.True(Raw(dir, "big").AsSpan().SequenceEqual(data));
    }

    [SkippableFact]
    public void Chunked_and_compressed_datasets_still_read_through_PureHDF()
    {
        using var dir = new TempDir();
        var path = Make(dir,
            "    a = np.arange(10000, dtype='<f4')\n" +
            "    f.create_dataset('z', data=a, chunks=(1000,), compression='gzip')\n" +
            "    f.create_dataset('c', data=a[:50], chunks=(7,))\n" +
            "    raw('z', a)\n" +
            "    raw('c', a[:50])\n");
        var root = H5TreeReader.Read(path);
        Assert.Equal(Raw(dir, "z"), DataOf(root, "z"));
        Assert.Equal(Raw(dir, "c"), DataOf(root, "c"));
    }

    [SkippableFact]
    public void A_big_endian_dataset_is_refused_as_before_rather_than_read_with_its_bytes_unswapped()
    {
        using var dir = new TempDir();
        var path = Make(dir, "    f.create_dataset('be', data=np.arange(8, dtype='>f4'))\n");
        var e = Assert.Throws<ModelFormatException>(() => H5TreeReader.Read(path));
        Assert.Equal("/be", e.ObjectPath);
    }

    [SkippableFact]
    public void A_dataset_whose_storage_runs_past_the_end_of_a_truncated_file_is_refused()
    {
        using var dir = new TempDir();
        var path = Make(dir,
            "    f.create_dataset('head', data=np.zeros(4096, dtype='<f4'))\n" +
            "    f.create_dataset('tail', data=np.ones(4096, dtype='<f4'))\n");
        using (var fs = new FileStream(path, FileMode.Open)) fs.SetLength(fs.Length - 1000);
        Assert.ThrowsAny<ZooException>(() => H5TreeReader.Read(path));
    }

    [SkippableFact]
    public void Reading_from_a_memory_stream_gives_the_same_tree_as_reading_the_file()
    {
        using var dir = new TempDir();
        var path = Make(dir,
            "    for i in range(5):\n" +
            "        g = f.create_group(f'layer{i}')\n" +
            "        g.attrs['weight_names'] = [b'k', b'b']\n" +
            "        g.create_dataset('k', data=np.arange(64 * (i + 1), dtype='<f4').reshape(8, -1))\n" +
            "        g.create_dataset('b', data=np.arange(8, dtype='<i8'))\n");
        var fromFile = H5TreeReader.Read(path);
        var fromMemory = H5TreeReader.Read(new MemoryStream(File.ReadAllBytes(path)), "data.h5");
        for (int i = 0; i < 5; i++)
            foreach (var w in new[] { "k", "b" })
                Assert.Equal(DataOf(fromFile, $"layer{i}/{w}"), DataOf(fromMemory, $"layer{i}/{w}"));
        Assert.Equal(64 * 5 * 4, DataOf(fromMemory, "layer4/k").Length);
    }
}
