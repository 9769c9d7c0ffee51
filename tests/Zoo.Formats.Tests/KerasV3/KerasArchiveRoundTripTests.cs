using System.IO.Compression;
using Zoo.Formats.Ir;
using Zoo.Formats.KerasV3;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.KerasV3;

public class KerasArchiveRoundTripTests
{
    public static IEnumerable<object[]> Archives => Fixtures.OfKinds("keras3-archive");

    /// <summary>Lists every dataset (path, shape, dtype, sha256 of its bytes) and every vars group's name attribute.</summary>
    private const string ListStore = """
import sys, io, zipfile, hashlib, h5py, numpy as np
z = zipfile.ZipFile(sys.argv[1])
f = h5py.File(io.BytesIO(z.read('model.weights.h5')), 'r')
out = []
def visit(name, obj):
    n = name.replace('\\', '/')
    if isinstance(obj, h5py.Dataset):
        a = obj[()]
        out.append('D %s %s %s %s' % (n, list(obj.shape), obj.dtype.str, hashlib.sha256(np.asarray(a).tobytes()).hexdigest()))
    elif 'name' in obj.attrs:
        v = obj.attrs['name']
        out.append('G %s name=%s' % (n, v.decode() if isinstance(v, bytes) else v))
f.visititems(visit)
print('\n'.join(sorted(out)))
""";

    private static SaveOptions SameDialect(ModelGraph g) => new() { Dialect = g.Metadata.Dialect };

    [SkippableTheory]
    [MemberData(nameof(Archives))]
    public void An_archive_written_back_reads_with_bit_identical_weights_and_an_equal_config(string fixture)
    {
        var original = KerasArchive.Read(Fixtures.Path(fixture));
        using var temp = new TempFolder();
        var copy = temp.File("copy.keras");

        KerasArchive.Write(original, copy, SameDialect(original));
        var back = KerasArchive.Read(copy);

        Assert.Empty(GraphComparer.Differences(original, back));
        Assert.Equal(original.AllWeights().Select(w => w.ObjectPath), back.AllWeights().Select(w => w.ObjectPath));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(original.Metadata.ArchiveMetadata, back.Metadata.ArchiveMetadata));
    }

    [SkippableTheory]
    [MemberData(nameof(Archives))]
    public void Writing_the_same_graph_twice_gives_the_same_bytes_in_keras_entry_order(string fixture)
    {
        var graph = KerasArchive.Read(Fixtures.Path(fixture));
        using var temp = new TempFolder();

        KerasArchive.Write(graph, temp.File("a.keras"), SameDialect(graph));
        KerasArchive.Write(graph, temp.File("b.keras"), SameDialect(graph));

        Assert.Equal(File.ReadAllBytes(temp.File("a.keras")), File.ReadAllBytes(temp.File("b.keras")));
        using var zip = ZipFile.OpenRead(temp.File("a.keras"));
        Assert.Equal(new[] { "metadata.json", "config.json", "model.weights.h5" }, zip.Entries.Select(e => e.FullName));
        Assert.All(zip.Entries, e => Assert.Equal(new DateTime(1980, 1, 1), e.LastWriteTime.DateTime));
        Assert.All(zip.Entries, e => Assert.Equal(e.Length, e.CompressedLength));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [SkippableTheory]
    [MemberData(nameof(Archives))]
    public void H5py_reads_the_written_weights_at_the_same_paths_with_the_same_values(string fixture)
    {
        var source = Fixtures.Path(fixture);
        H5py.Require();
        var graph = KerasArchive.Read(source);
        using var temp = new TempFolder();
        KerasArchive.Write(graph, temp.File("copy.keras"), SameDialect(graph));

        var expected = H5py.Run(ListStore, source);
        var actual = H5py.Run(ListStore, temp.File("copy.keras"));

        Assert.True(actual.ExitCode == 0, actual.Error);
        Assert.Equal(expected.Output, actual.Output);
        Assert.Contains("D layers/", actual.Output);
    }

    public static IEnumerable<object[]> Keras3Archives => Fixtures.OfKinds("keras3-archive")
        .Where(r => r[0] is not "abhaypandy-churn/model.keras");

    [SkippableTheory]
    [MemberData(nameof(Keras3Archives))]
    public void Weights_without_object_paths_are_laid_out_exactly_where_keras_3_put_them(string fixture)
    {
        var source = Fixtures.Path(fixture);
        H5py.Require();
        var graph = KerasArchive.Read(source);
        ForgetKeras3Layout(graph.Layers);
        graph.Metadata.WeightStoreRest = null;
        graph.OptimizerWeights.Clear();
        using var temp = new TempFolder();

        KerasArchive.Write(graph, temp.File("derived.keras"));

        static string WithoutOptimizer(string listing)
            => string.Join("\n", listing.Split('\n').Where(l => !l.Contains(" optimizer/", StringComparison.Ordinal)));
        var expected = H5py.Run(ListStore, source);
        var actual = H5py.Run(ListStore, temp.File("derived.keras"));
        Assert.True(actual.ExitCode == 0, actual.Error);
        Assert.Equal(WithoutOptimizer(expected.Output), WithoutOptimizer(actual.Output));
    }

    /// <summary>Makes the graph look as if it came from a Keras 2 file: same weights, no Keras 3 object paths.</summary>
    private static void ForgetKeras3Layout(List<LayerNode> layers)
    {
        foreach (var l in layers)
        {
            if (l.Nested is not null) ForgetKeras3Layout(l.Nested.Layers);
            var plain = l.Weights.Select(w => new WeightTensor(w.Name, w.Shape, w.DType, w.Data)).ToList();
            l.Weights.Clear();
            l.Weights.AddRange(plain);
        }
    }

    [SkippableFact]
    public void A_tf_keras_2_15_archive_rewritten_for_keras_3_gets_keras_3_metadata_and_slash_separated_groups()
    {
        var original = KerasArchive.Read(Fixtures.Path("abhaypandy-churn/model.keras"));
        using var temp = new TempFolder();
        var path = temp.File("k3.keras");

        KerasArchive.Write(original, path);
        var back = KerasArchive.Read(path);

        Assert.Equal(KerasDialectKind.Keras3, back.Metadata.Dialect);
        Assert.Equal("3.10.0", back.Metadata.KerasVersion);
        Assert.Equal("2026-01-20@20:26:46", back.Metadata.ArchiveMetadata!["date_saved"]!.GetValue<string>());
        Assert.Empty(GraphComparer.Differences(original, back, compareConfigs: false));
        var raw = KerasArchiveFixtureTests.RawStore(path);
        Assert.IsType<Zoo.Formats.Hdf5.H5TreeDataset>(raw.Find("layers/dense_2/vars/1"));
        Assert.DoesNotContain(raw.Children, c => c.Name.Contains('\\'));
        Assert.IsType<Zoo.Formats.Hdf5.H5TreeDataset>(back.Metadata.WeightStoreRest!.Find("metrics/mean_metric_wrapper/vars/1"));
    }
}
