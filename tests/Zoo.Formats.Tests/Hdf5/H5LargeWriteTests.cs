using Zoo.Formats.Hdf5;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Tests.Hdf5;

/// <summary>
/// Writing to a file starts disk writes slice by slice behind the writer; these pin that a file that spans
/// many slices holds exactly the bytes the same tree gives in memory, and that h5py reads it.
/// </summary>
public class H5LargeWriteTests
{
    private static H5TreeGroup LargeTree()
    {
        var root = new H5TreeGroup();
        root.Attributes["layer_names"] = new H5StringAttribute(new[] { "big", "small" }, H5StringKind.Fixed, H5CharSet.Ascii);
        uint state = 7;
        byte[] Fill(int n)
        {
            var b = GC.AllocateUninitializedArray<byte>(n);
            for (int i = 0; i < n; i++) { state = state * 1664525 + 1013904223; b[i] = (byte)(state >> 24); }
            return b;
        }
        // 45 MB + 3 bytes + 27 MB: several write-behind slices, and a payload that needs alignment padding after it.
        root.SetDataset("big/kernel:0", new long[] { 3000, 3750 }, DType.Float32, Fill(45_000_000));
        root.SetDataset("small/flags:0", new long[] { 3 }, DType.UInt8, Fill(3));
        root.SetDataset("small/kernel:0", new long[] { 6_750_000 }, DType.Float32, Fill(27_000_000));
        return root;
    }

    [Fact]
    public void A_file_spanning_many_write_behind_slices_holds_the_same_bytes_as_the_tree_written_to_memory()
    {
        using var dir = new TempDir();
        var root = LargeTree();
        var path = dir.File("large.h5");
        H5TreeWriter.Write(root, path);
        var expected = H5TreeWriter.ToBytes(root);
        Assert.True(expected.Length > 72_000_000);
        Assert.True(expected.AsSpan().SequenceEqual(File.ReadAllBytes(path)));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [SkippableFact]
    public void H5py_reads_every_byte_of_a_large_file_Zoo_wrote()
    {
        using var dir = new TempDir();
        var root = LargeTree();
        var path = dir.File("large.h5");
        H5TreeWriter.Write(root, path);
        var dump = H5Py.Dump(path);
        foreach (var name in new[] { "big/kernel:0", "small/flags:0", "small/kernel:0" })
        {
            var data = ((H5TreeDataset)root.Find(name)!).Data;
            var sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data)).ToLowerInvariant();
            Assert.Equal(sha, dump["/" + name]!["sha256"]!.GetValue<string>());
        }
    }
}
