using System.Buffers.Binary;
using System.Text;
using Zoo.Formats.Hdf5;
using Zoo.Formats.IO;
using Zoo.Formats.Tests.Fuzzing;
using H5Py = Zoo.Formats.Tests.Hdf5.H5Py;
using Zoo.Formats.Tests.Support;
using Zoo.Formats.Yaml;

namespace Zoo.Formats.Tests.Safety;

/// <summary>One regression test per bug the fuzz harness found; each names the sentence it proves.</summary>
public sealed class FuzzFindingsTests : IDisposable
{
    /// <summary>Readers must refuse these inputs having allocated no more than this (they are a few KB).</summary>
    private const long SmallAllocation = 64L << 20;
    private readonly TempDir dir = new();

    [Fact]
    public void A_json_config_that_repeats_a_key_is_a_format_error_not_an_argument_exception()
    {
        var path = Write("m.json", """{"class_name": "Sequential", "class_name": "Functional", "config": {"name": "s", "layers": []}}""");
        var e = Assert.Throws<ModelFormatException>(() => KerasFile.Load(path));
        Assert.Equal(path, e.File);
    }

    [Theory]
    [InlineData("""{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Dense", "config": {"name": "d", "units": 2, "batch_input_shape": [null, 3]}}, {"class_name": "Dense", "config": {"name": "d", "units": 2}}]}}""")]
    [InlineData("""{"class_name": "Functional", "config": {"name": "f", "layers": [{"class_name": "InputLayer", "name": "d", "config": {"name": "d", "batch_input_shape": [null, 3]}, "inbound_nodes": []}, {"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 2}, "inbound_nodes": [[["d", 0, 0, {}]]]}], "input_layers": [["d", 0, 0]], "output_layers": [["d", 0, 0]]}}""")]
    public void A_model_config_with_two_layers_of_one_name_is_a_format_error_naming_the_layer(string json)
    {
        var path = Write("m.json", json);
        var e = Assert.Throws<ModelFormatException>(() => KerasFile.Load(path));
        Assert.Contains("unique layer names, found 'd'", e.Message);
    }

    [Fact]
    public void Yaml_nested_thousands_of_levels_deep_is_refused_instead_of_overflowing_the_stack()
    {
        var yaml = "class_name: Sequential\nconfig: " + new string('[', 50_000) + new string(']', 50_000) + "\n";
        Exception? error = null;
        // A 256 KB stack: before the fix the representation model recursed once per '[' and killed the process.
        var t = new Thread(() => error = Record.Exception(() => KerasYaml.Parse(yaml, "deep.yaml")), 256 * 1024);
        t.Start();
        t.Join();
        var e = Assert.IsType<UnsafeModelException>(error);
        Assert.Contains("nesting", e.Message);
    }

    [Fact]
    public void A_small_yaml_alias_bomb_is_refused_before_allocating_a_hundred_megabytes()
    {
        var sb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'h'; c++) sb.Append($"{c}: &{c} [{string.Join(", ", Enumerable.Repeat("*" + (char)(c - 1), 9))}]\n");
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<UnsafeModelException>(() => KerasYaml.Parse(sb.ToString(), "bomb.yaml"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < SmallAllocation);
    }

    [Theory]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }")]
    [InlineData("{'descr': '<f99999999999', 'fortran_order': False, 'shape': (3,), }")]
    public void An_npy_header_whose_sizes_overflow_is_refused_as_unsafe_not_an_overflow_exception(string header)
    {
        var path = dir.File("a.npy");
        File.WriteAllBytes(path, NpyStructuralMutator.Build(header, new byte[24], 1, null));
        Assert.Throws<UnsafeModelException>(() => Npy.Read(path));
    }

    [Fact]
    public void An_npy_version_2_header_length_over_two_gigabytes_is_refused_as_unsafe()
    {
        var path = dir.File("a.npy");
        File.WriteAllBytes(path, NpyStructuralMutator.Build("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4], 2, 0xFFFFFFF0));
        Assert.Throws<UnsafeModelException>(() => Npy.Read(path));
    }

    [SkippableFact]
    public void A_global_heap_object_declaring_gigabytes_in_a_small_file_is_refused_before_allocating_it()
    {
        var path = dir.File("vlen.h5");
        H5Py.Exec($"import h5py\nwith h5py.File('{path}', 'w') as f:\n    f.attrs['keras_version'] = '2.15.0'\n    f.create_group('g')");
        var bytes = File.ReadAllBytes(path);
        int gcol = bytes.AsSpan().IndexOf("GCOL"u8);
        Assert.True(gcol > 0, "h5py wrote no global heap");
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(gcol + 16 + 8), 0x7FFF_0000); // object 1's size
        File.WriteAllBytes(path, bytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<UnsafeModelException>(() => H5TreeReader.Read(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < SmallAllocation);
        Assert.Contains("global heap object declares", e.Message);
    }

    [SkippableFact]
    public void A_global_heap_object_that_runs_past_its_collection_is_refused_before_PureHDF_wraps_round()
    {
        // Fuzz case h5-weights 29337: object 1's size grew past the 4 KB collection but stayed inside the file;
        // PureHDF's unsigned "bytes left" wrapped round and it decoded the bytes after it as more heap objects.
        var path = dir.File("vlen-wrap.h5");
        H5Py.Exec($"import h5py, numpy\nwith h5py.File('{path}', 'w') as f:\n    f.attrs['backend'] = 'tensorflow'\n    f['pad'] = numpy.zeros(1 << 18, 'f4')");
        var bytes = File.ReadAllBytes(path);
        int gcol = bytes.AsSpan().IndexOf("GCOL"u8);
        Assert.True(gcol > 0, "h5py wrote no global heap");
        const int grown = 0x6000a;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(gcol + 16 + 8), grown);
        int next = gcol + 16 + 16 + (grown + 7) / 8 * 8;
        Assert.True(next + 16 < bytes.Length, "the file is too short for the test");
        // What PureHDF would read next, as heap object 2: 800 MB, more than the file holds.
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(next), 2);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(next + 8), 800UL << 20);
        File.WriteAllBytes(path, bytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ModelFormatException>(() => H5TreeReader.Read(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < SmallAllocation);
        Assert.Contains("runs past its collection", e.Message);
        Assert.Contains("/@backend", e.Message);
    }

    [SkippableFact]
    public void A_version_1_attribute_declaring_more_data_than_its_message_holds_is_refused_before_allocating_it()
    {
        var path = dir.File("attr.h5");
        H5Py.Exec($"import h5py, numpy as np\nwith h5py.File('{path}', 'w') as f:\n    f.attrs['marker'] = np.zeros(977, dtype='uint8')");
        var bytes = File.ReadAllBytes(path);
        Span<byte> dim = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(dim, 977);
        int at = bytes.AsSpan().IndexOf(dim);
        Assert.True(at > 0, "the attribute's dimension was not found");
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at), 0x7000_0000);
        File.WriteAllBytes(path, bytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<UnsafeModelException>(() => H5TreeReader.Read(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < SmallAllocation);
        Assert.Contains("attribute's data declares", e.Message);
    }

    [SkippableFact]
    public void A_group_local_heap_declaring_more_bytes_than_the_file_is_refused_before_allocating_it()
    {
        var path = dir.File("heap.h5");
        H5Py.Exec($"import h5py\nwith h5py.File('{path}', 'w') as f:\n    f.create_group('dense')");
        var bytes = File.ReadAllBytes(path);
        int heap = bytes.AsSpan().IndexOf("HEAP"u8);
        Assert.True(heap > 0, "h5py wrote no local heap");
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(heap + 8), 0x7000_0000); // data segment size
        File.WriteAllBytes(path, bytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<UnsafeModelException>(() => H5TreeReader.Read(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < SmallAllocation);
        Assert.Contains("local heap declares", e.Message);
    }

    [SkippableFact]
    public void A_version_2_fill_value_declaring_hundreds_of_megabytes_is_refused_before_allocating_it()
    {
        // The guard read the size one byte early (at the "defined" flag), so a lying size got through to PureHDF,
        // which allocated 268 MB for a 66 KB file (zoo-fuzz h5-full, seed 20261127, case 54144).
        var path = dir.File("fill.h5");
        H5Py.Exec($"import h5py\nwith h5py.File('{path}', 'w') as f:\n    f.create_dataset('d', (4,), dtype='f4', fillvalue=7.5)");
        var bytes = File.ReadAllBytes(path);
        byte[] sizeThenValue = [4, 0, 0, 0, 0, 0, 0xF0, 0x40];
        // Only the version-2 message (version 2, times, defined = 1, then the size): the old-style message is guarded separately.
        int at = -1;
        for (int from = 0, hit; (hit = bytes.AsSpan(from).IndexOf(sizeThenValue)) >= 0; from += hit + 1)
            if (from + hit >= 4 && bytes[from + hit - 4] == 2 && bytes[from + hit - 1] == 1) at = from + hit;
        Assert.True(at > 0, "h5py wrote no version-2 fill value message");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), 0x1000_0000);
        File.WriteAllBytes(path, bytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<UnsafeModelException>(() => H5TreeReader.Read(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < SmallAllocation);
        Assert.Contains("fill value declares 268435456 bytes", e.Message);
    }

    [Fact]
    public void A_flipped_bit_in_a_version_2_object_header_fails_its_checksum()
    {
        var (path, bytes, root, _) = ZooWrittenH5();
        bytes[root + 12] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<ModelFormatException>(() => KerasFile.Load(path));
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void A_link_name_longer_than_its_message_is_refused_even_when_the_checksum_is_recomputed()
    {
        var (path, bytes, root, end) = ZooWrittenH5();
        int name = bytes.AsSpan(root, end - root).IndexOf("model_weights"u8) + root;
        Assert.Equal("model_weights".Length, bytes[name - 1]);
        bytes[name - 1] = 0xFF;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(end), Lookup3.Hash(bytes.AsSpan(root, end - root)));
        File.WriteAllBytes(path, bytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<UnsafeModelException>(() => KerasFile.Load(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < SmallAllocation);
        Assert.Contains("link name declares 255 bytes", e.Message);
    }

    /// <summary>A full H5 model Zoo wrote, its bytes, and where the root object header and its first chunk's checksum are.</summary>
    private (string Path, byte[] Bytes, int Root, int ChecksumAt) ZooWrittenH5()
    {
        var path = dir.File("zoo.h5");
        KerasFile.Save(SeedLibrary.BuiltinGraph(), path);
        var b = File.ReadAllBytes(path);
        int root = (int)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(36));
        Assert.True(b.AsSpan(root, 4).SequenceEqual("OHDR"u8));
        byte flags = b[root + 5];
        int at = root + 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
        int width = 1 << (flags & 3);
        long size = width switch { 1 => b[at], 2 => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at)), 4 => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at)), _ => (long)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(at)) };
        return (path, b, root, at + width + (int)size);
    }

    private string Write(string name, string text)
    {
        var path = dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => dir.Dispose();
}
