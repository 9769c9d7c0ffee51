using System.Text;
using Zoo.Formats.Hdf5;
using Zoo.Formats.Hdf5.Legacy;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Tests.Hdf5;

public class LegacyH5NameTests
{
    /// <summary>A weights-only graph of <paramref name="layers"/> layers whose names are <paramref name="nameBytes"/> UTF-8 bytes long.</summary>
    private static ModelGraph ManyLayers(int layers, int nameBytes)
    {
        var g = new ModelGraph { HasArchitecture = false, Name = "", ClassName = "" };
        for (int i = 0; i < layers; i++)
        {
            var prefix = $"ß层_{i:D5}_"; // non-ASCII on purpose: 2- and 3-byte UTF-8
            var pad = nameBytes - Encoding.UTF8.GetByteCount(prefix);
            var layer = new LayerNode("", prefix + new string('x', pad));
            if (i % 97 == 0)
                layer.Weights.Add(WeightTensor.FromFloat32($"{layer.Name}/kernel:0", new long[] { 2 }, new float[] { i, -i }));
            g.Layers.Add(layer);
        }
        return g;
    }

    private static ModelGraph RoundTrip(ModelGraph g, out H5TreeGroup tree)
    {
        tree = LegacyH5.BuildTree(g, weightsOnly: true);
        return LegacyH5.Read(new MemoryStream(H5TreeWriter.ToBytes(tree)), "mem.h5");
    }

    [Theory]
    [InlineData(2016, 32, 1)]   // 2016 × 32 = 64,512 bytes: exactly the limit, one piece
    [InlineData(2017, 32, 2)]   // one name more: two chunks
    [InlineData(5000, 40, 4)]   // 200,000 bytes: the smallest even split that fits
    public void Keras2_h5_with_chunked_layer_names_round_trips(int layers, int nameBytes, int expectedChunks)
    {
        var g = ManyLayers(layers, nameBytes);
        var back = RoundTrip(g, out var tree);
        if (expectedChunks == 1)
        {
            Assert.NotNull(tree.Attributes["layer_names"]);
            Assert.Null(tree.Attributes["layer_names0"]);
        }
        else
        {
            Assert.Null(tree.Attributes["layer_names"]);
            for (int i = 0; i < expectedChunks; i++)
            {
                var chunk = Assert.IsType<H5StringAttribute>(tree.Attributes["layer_names" + i]);
                Assert.Equal(H5StringKind.Fixed, chunk.Kind);
                Assert.True(chunk.EncodedSize <= H5NameList.ChunkLimit);
            }
            Assert.Null(tree.Attributes["layer_names" + expectedChunks]);
        }
        Assert.Equal(g.Layers.Select(l => l.Name), back.Layers.Select(l => l.Name));
        Assert.Empty(GraphComparer.Differences(g, back));
    }

    [SkippableFact]
    public void H5py_reads_chunked_unicode_layer_names_as_Keras_would()
    {
        H5Py.Require();
        var g = ManyLayers(3000, 48);
        using var dir = new TempDir();
        var path = dir.File("many.h5");
        LegacyH5.Write(g, path, weightsOnly: true);
        var dump = H5Py.Dump(path);
        var names = new List<string>();
        for (int i = 0; dump["/"]!["attrs"]!["layer_names" + i] is { } chunk; i++)
            names.AddRange(chunk["values"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(g.Layers.Select(l => l.Name), names);
    }

    [Fact]
    public void Layer_and_weight_names_with_slashes_and_unicode_become_nested_groups_and_come_back_unchanged()
    {
        var g = new ModelGraph { HasArchitecture = false, Name = "", ClassName = "" };
        var slashed = new LayerNode("", "blöck/1");
        slashed.Weights.Add(WeightTensor.FromFloat32("blöck/1/w:0", new long[] { 1 }, new float[] { 5 }));
        g.Layers.Add(slashed);
        g.Layers.Add(new LayerNode("", "plain"));
        var odd = new LayerNode("", "ünï");
        odd.Weights.Add(WeightTensor.FromFloat32("ünï/scope/deeper/kérnel:0", new long[] { 1, 2 }, new float[] { 1, 2 }));
        odd.Weights.Add(WeightTensor.FromFloat32("ünï/scope/bias:0", new long[] { 2 }, new float[] { 3, 4 }));
        g.Layers.Add(odd);
        var back = RoundTrip(g, out var tree);
        Assert.IsType<H5TreeDataset>(tree.Find("ünï/ünï/scope/deeper/kérnel:0"));
        Assert.IsType<H5TreeDataset>(tree.Find("blöck/1/blöck/1/w:0"));
        Assert.Empty(GraphComparer.Differences(g, back));
        Assert.Equal(g.Layers.Select(l => l.Name), back.Layers.Select(l => l.Name));
    }

    [Fact]
    public void Every_dtype_survives_a_legacy_weights_round_trip()
    {
        var g = new ModelGraph { HasArchitecture = false, Name = "", ClassName = "" };
        var layer = new LayerNode("", "all_types");
        byte seed = 3;
        foreach (var t in Enum.GetValues<DType>())
        {
            var data = Enumerable.Range(0, 3 * t.Size()).Select(_ => seed += 29).ToArray();
            if (t == DType.Bool) data = new byte[] { 1, 0, 1 };
            layer.Weights.Add(new WeightTensor($"all_types/{t.KerasName()}:0", new long[] { 3 }, t, data));
        }
        layer.Weights.Add(new WeightTensor("all_types/scalar:0", Array.Empty<long>(), DType.Float64, BitConverter.GetBytes(Math.PI)));
        g.Layers.Add(layer);
        var back = RoundTrip(g, out _);
        Assert.Empty(GraphComparer.Differences(g, back));
        Assert.Equal(layer.Weights.Select(w => w.DType), back.Layers[0].Weights.Select(w => w.DType));
    }

    [Fact]
    public void Writing_the_same_graph_twice_gives_the_same_bytes()
    {
        var g = ManyLayers(300, 20);
        Assert.Equal(H5TreeWriter.ToBytes(LegacyH5.BuildTree(g, weightsOnly: true)), H5TreeWriter.ToBytes(LegacyH5.BuildTree(g, weightsOnly: true)));
    }

    [Fact]
    public void A_file_with_neither_model_config_nor_layer_names_is_not_a_keras_file()
    {
        var root = new H5TreeGroup();
        root.Attributes["something"] = H5StringAttribute.Scalar("else");
        var e = Assert.Throws<ModelFormatException>(() => LegacyH5.Read(new MemoryStream(H5TreeWriter.ToBytes(root)), "other.h5"));
        Assert.Contains("model_config", e.Message);
    }

    [Fact]
    public void A_listed_weight_without_its_dataset_is_reported_with_its_path()
    {
        var root = new H5TreeGroup();
        H5NameList.Write(root, "layer_names", new[] { "dense" }, H5StringStyle.VlenAscii);
        var dense = root.Add(new H5TreeGroup("dense"));
        H5NameList.Write(dense, "weight_names", new[] { "dense/kernel:0" }, H5StringStyle.VlenAscii);
        var e = Assert.Throws<ModelFormatException>(() => LegacyH5.Read(new MemoryStream(H5TreeWriter.ToBytes(root)), "w.h5"));
        Assert.Equal("/dense/dense/kernel:0", e.ObjectPath);
    }
}

public class LegacyH5DetectionTests
{
    public static IEnumerable<object[]> HdfFixtures() => Support.Fixtures.OfKinds("h5-full", "h5-weights", "keras3-weights");

    [SkippableTheory]
    [MemberData(nameof(HdfFixtures))]
    public void Detection_from_root_attributes_matches_the_manifest_kind(string fixture)
    {
        var row = Support.Fixtures.Manifest().Single(r => r.LocalPath == fixture);
        var expected = row.Kind switch { "h5-full" => KerasFormat.H5Full, "h5-weights" => KerasFormat.H5Weights, _ => (KerasFormat?)null };
        Assert.Equal(expected, LegacyH5.Detect(Support.Fixtures.Path(fixture)));
    }
}
