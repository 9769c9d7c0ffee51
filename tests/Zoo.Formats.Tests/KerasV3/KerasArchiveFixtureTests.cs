using System.IO.Compression;
using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Hdf5;
using Zoo.Formats.Ir;
using Zoo.Formats.KerasV3;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.KerasV3;

public class KerasArchiveFixtureTests
{
    public static IEnumerable<object[]> Archives => Fixtures.OfKinds("keras3-archive");

    [SkippableTheory]
    [MemberData(nameof(Archives))]
    public void Every_archive_fixture_reads_with_every_stored_layer_variable_on_a_layer(string fixture)
    {
        var path = Fixtures.Path(fixture);
        var graph = KerasArchive.Read(path);

        Assert.True(graph.HasArchitecture);
        Assert.Equal(KerasFormat.KerasArchive, graph.Metadata.SourceFormat);
        Assert.NotNull(graph.Metadata.ArchiveMetadata?["keras_version"]);
        var stored = StoredLayerVariables(path);
        Assert.NotEmpty(stored);
        Assert.Equal(stored.Count, graph.AllWeights().Count());
        Assert.All(graph.AllWeights(), w => Assert.NotNull(w.ObjectPath));
    }

    [SkippableFact]
    public void A_keras_3_10_cnn_archive_names_its_variables_the_keras_2_way_and_keeps_its_optimizer_state()
    {
        var graph = KerasArchive.Read(Fixtures.Path("subhadip-mnist-tfjs/Subhadip_Hensh_MNIST_CNN.keras"));

        Assert.Equal("3.10.0", graph.Metadata.KerasVersion);
        var conv = graph.GetLayer("conv2d");
        Assert.Equal(new[] { "conv2d/kernel:0", "conv2d/bias:0" }, conv.Weights.Select(w => w.Name));
        Assert.Equal(new long[] { 5, 5, 1, 8 }, conv.Weights[0].Shape);
        Assert.Equal(new[] { "vars/0", "vars/1" }, conv.Weights.Select(w => w.ObjectPath));
        Assert.Equal(18, graph.OptimizerWeights.Count);
        Assert.Equal(DType.Int64, graph.OptimizerWeights[0].DType);
        Assert.Equal("optimizer/vars/10", graph.OptimizerWeights[10].Name);
    }

    [SkippableFact]
    public void A_tf_keras_2_15_archive_written_on_windows_reads_its_backslash_named_groups()
    {
        var graph = KerasArchive.Read(Fixtures.Path("abhaypandy-churn/model.keras"));

        Assert.Equal("2.15.0", graph.Metadata.KerasVersion);
        Assert.Equal(new long[] { 12, 64 }, graph.GetLayer("dense").Weights[0].Shape);
        Assert.Equal(new long[] { 1 }, graph.GetLayer("dense_2").Weights[1].Shape);
        Assert.Equal(13, graph.OptimizerWeights.Count);
        var rest = graph.Metadata.WeightStoreRest!;
        Assert.IsType<H5TreeDataset>(rest.Find("metrics/mean/vars/0"));
        Assert.DoesNotContain(rest.Children, c => c.Name.Contains('\\'));
    }

    [SkippableFact]
    public void A_standalone_weights_file_reads_as_layers_named_by_their_vars_name_attribute()
    {
        var graph = KerasWeightsStore.Read(Fixtures.Path("hongong-practice/model.weights.h5"));

        Assert.False(graph.HasArchitecture);
        Assert.Equal("sequential_4", graph.Name);
        var dense = graph.GetLayer("dense_8");
        Assert.Equal("layers/dense", dense.ObjectPath);
        Assert.Equal("Dense", dense.ClassName);
        Assert.Equal(new[] { "dense_8/kernel:0", "dense_8/bias:0" }, dense.Weights.Select(w => w.Name));
        Assert.Equal(new long[] { 784, 100 }, dense.Weights[0].Shape);
        Assert.Equal("layers/dense_1", graph.GetLayer("dense_9").ObjectPath);
        Assert.Empty(graph.GetLayer("dropout_1").Weights);
        Assert.Equal(10, graph.OptimizerWeights.Count);
    }

    [SkippableFact]
    public void Standalone_weights_attach_onto_the_architecture_of_the_archive_they_were_saved_beside()
    {
        var archivePath = Fixtures.Path("hongong-practice/model-whole.keras");
        var whole = KerasArchive.Read(archivePath);
        var architecture = ArchitectureOnly(archivePath);
        Assert.Empty(architecture.AllWeights());

        KerasWeightsStore.Attach(architecture, Fixtures.Path("hongong-practice/model.weights.h5"));

        Assert.Empty(GraphComparer.Differences(whole, architecture));
        Assert.Equal(4, architecture.AllWeights().Count());
    }

    [SkippableFact]
    public void Attaching_weights_to_an_architecture_with_other_units_names_layer_weight_expected_and_found()
    {
        var archivePath = Fixtures.Path("hongong-practice/model-whole.keras");
        var architecture = ArchitectureOnly(archivePath);
        architecture.GetLayer("dense_8").Config["units"] = 99;

        var e = Assert.Throws<WeightMismatchException>(() =>
            KerasWeightsStore.Attach(architecture, Fixtures.Path("hongong-practice/model.weights.h5")));

        Assert.Equal("dense_8", e.Layer);
        Assert.Equal("dense_8/kernel:0", e.Weight);
        Assert.Contains("[?,99]", e.Expected);
        Assert.Contains("[784,100]", e.Actual);
    }

    [SkippableFact]
    public void Attaching_weights_to_an_architecture_missing_a_layer_reports_the_unplaced_variables()
    {
        var archivePath = Fixtures.Path("hongong-practice/model-whole.keras");
        var architecture = ArchitectureOnly(archivePath);
        architecture.Layers.Remove(architecture.GetLayer("dense_9"));

        var e = Assert.Throws<WeightMismatchException>(() =>
            KerasWeightsStore.Attach(architecture, Fixtures.Path("hongong-practice/model.weights.h5")));

        Assert.Equal("layers/dense_1", e.Layer);
        Assert.Equal("vars/0", e.Weight);
    }

    [SkippableFact]
    public void Attaching_weights_to_an_architecture_with_an_extra_dense_layer_reports_the_missing_kernel()
    {
        var archivePath = Fixtures.Path("hongong-practice/model-whole.keras");
        var architecture = ArchitectureOnly(archivePath);
        var extra = new LayerNode("Dense", "extra", new JsonObject { ["name"] = "extra", ["units"] = 3 });
        architecture.Layers.Add(extra);

        var e = Assert.Throws<WeightMismatchException>(() =>
            KerasWeightsStore.Attach(architecture, Fixtures.Path("hongong-practice/model.weights.h5")));

        Assert.Equal("extra", e.Layer);
        Assert.Equal("extra/kernel:0", e.Weight);
        Assert.Contains("layers/dense_2/vars/0", e.Expected);
    }

    /// <summary>The archive's config.json parsed alone: the architecture with no weights.</summary>
    internal static ModelGraph ArchitectureOnly(string archivePath)
    {
        using var zip = ZipFile.OpenRead(archivePath);
        using var reader = new StreamReader(zip.GetEntry("config.json")!.Open());
        return ModelConfigCodec.Parse(KerasJson.Parse(reader.ReadToEnd()), archivePath);
    }

    /// <summary>Paths of the datasets below layers/ in an archive's weight store, backslash paths split.</summary>
    internal static List<string> StoredLayerVariables(string archivePath)
    {
        var paths = new List<string>();
        Walk(RawStore(archivePath), "", paths);
        return paths.Select(p => p.Replace('\\', '/')).Where(p => p.StartsWith("layers/", StringComparison.Ordinal)).ToList();
    }

    /// <summary>An archive's model.weights.h5 as stored, read with the plain HDF5 tree reader.</summary>
    internal static H5TreeGroup RawStore(string archivePath)
    {
        using var zip = ZipFile.OpenRead(archivePath);
        using var buffer = new MemoryStream();
        using (var s = zip.GetEntry("model.weights.h5")!.Open()) s.CopyTo(buffer);
        buffer.Position = 0;
        return H5TreeReader.Read(buffer);
    }

    private static void Walk(H5TreeGroup g, string prefix, List<string> paths)
    {
        foreach (var c in g.Children)
            if (c is H5TreeGroup sub) Walk(sub, $"{prefix}{c.Name}/", paths);
            else paths.Add(prefix + c.Name);
    }
}
