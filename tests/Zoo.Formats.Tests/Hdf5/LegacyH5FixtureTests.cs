using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Hdf5;
using Zoo.Formats.Hdf5.Legacy;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.Hdf5;

public class LegacyH5FixtureTests
{
    public static IEnumerable<object[]> LegacyFixtures() => Fixtures.OfKinds("h5-full", "h5-weights");

    private static ModelGraph ReadFixture(string fixture) => LegacyH5.Read(Fixtures.Path(fixture));

    [SkippableTheory]
    [MemberData(nameof(LegacyFixtures))]
    public void Every_legacy_fixture_reads_with_all_its_stored_weights(string fixture)
    {
        var row = Fixtures.Manifest().Single(r => r.LocalPath == fixture);
        var graph = ReadFixture(fixture);
        Assert.Equal(row.Kind == "h5-full", graph.HasArchitecture);
        Assert.Equal(row.Kind == "h5-full" ? KerasFormat.H5Full : KerasFormat.H5Weights, graph.Metadata.SourceFormat);

        // Independent count: every dataset below the weights group that a weight_names list names.
        var tree = H5TreeReader.Read(Fixtures.Path(fixture));
        var weightsRoot = graph.HasArchitecture ? (H5TreeGroup)tree["model_weights"]! : tree;
        int listed = weightsRoot.Children.OfType<H5TreeGroup>().Where(g => g.Name != "top_level_model_weights")
            .Sum(g => H5NameList.Read(g, "weight_names", null, g.Name)!.Count);
        Assert.Equal(listed, graph.AllWeights().Count());
    }

    [SkippableTheory]
    [MemberData(nameof(LegacyFixtures))]
    public void Every_legacy_fixture_read_written_and_read_again_is_bit_identical(string fixture)
    {
        var graph = ReadFixture(fixture);
        using var dir = new TempDir();
        var path = dir.File("again.h5");
        LegacyH5.Write(graph, path, weightsOnly: !graph.HasArchitecture);
        var again = LegacyH5.Read(path);
        Assert.Empty(GraphComparer.Differences(graph, again));
        Assert.Equal(graph.AllWeights().Select(w => w.Name), again.AllWeights().Select(w => w.Name));
        Assert.Equal(graph.Metadata.KerasVersion, again.Metadata.KerasVersion);
        Assert.Equal(graph.Metadata.Backend, again.Metadata.Backend);
    }

    [SkippableTheory]
    [MemberData(nameof(LegacyFixtures))]
    public void H5py_sees_the_rewritten_legacy_fixture_as_the_original(string fixture)
    {
        var source = Fixtures.Path(fixture);
        H5Py.Require();
        var graph = LegacyH5.Read(source);
        using var dir = new TempDir();
        var path = dir.File("rewritten.h5");
        LegacyH5.Write(graph, path, weightsOnly: !graph.HasArchitecture);
        var expected = H5Py.Dump(source);
        var actual = H5Py.Dump(path);
        // Config JSON is compared as JSON: key order and number spelling are the codec's, the content must not change.
        foreach (var name in new[] { "model_config", "training_config" })
        {
            var e = expected["/"]!["attrs"]![name];
            var a = actual["/"]!["attrs"]![name];
            Assert.Equal(e is null, a is null);
            if (e is null) continue;
            Assert.Equal(e["kind"]!.ToJsonString() + e["cset"]!.ToJsonString(), a!["kind"]!.ToJsonString() + a["cset"]!.ToJsonString());
            var ej = KerasJson.Parse((string)e["values"]![0]!);
            var aj = KerasJson.Parse((string)a["values"]![0]!);
            if (name == "model_config")
                Assert.Empty(GraphComparer.Differences(ModelConfigCodec.Parse(ej), ModelConfigCodec.Parse(aj)));
            else
                Assert.True(JsonNode.DeepEquals(ej, aj), $"{name} differs");
            ((JsonObject)expected["/"]!["attrs"]!).Remove(name);
            ((JsonObject)actual["/"]!["attrs"]!).Remove(name);
        }
        Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
    }

    [SkippableFact]
    public void Keras3_legacy_h5_keeps_its_scoped_weight_names_and_top_level_model_weights_group()
    {
        var graph = ReadFixture("saurabh-churn/model.h5");
        Assert.Equal(KerasDialectKind.Keras3, graph.Metadata.Dialect);
        Assert.Equal("sequential/dense/kernel", graph.GetLayer("dense").Weights[0].Name);
        var style = Assert.IsType<LegacyH5Style>(graph.Metadata.SourceStyle);
        Assert.NotNull(style.TopLevelModelWeights);
        var tree = LegacyH5.BuildTree(graph);
        var top = Assert.IsType<H5TreeGroup>(((H5TreeGroup)tree["model_weights"]!)["top_level_model_weights"]);
        Assert.IsType<H5NumericAttribute>(top.Attributes["weight_names"]);
        Assert.Equal(14, graph.OptimizerWeights.Count);
        Assert.Equal("adam/iteration", graph.OptimizerWeights[0].Name);
    }

    [SkippableFact]
    public void A_weights_only_file_gives_one_classless_layer_per_layer_name_in_stored_order()
    {
        var graph = ReadFixture("kotlindl/lstm_weights.h5");
        Assert.False(graph.HasArchitecture);
        Assert.Equal(new[] { "lstm_9", "dropout_9", "lstm_10", "dropout_10", "lstm_11", "dropout_11", "dense_3", "activation_3" },
            graph.Layers.Select(l => l.Name));
        Assert.All(graph.Layers, l => Assert.Equal("", l.ClassName));
        Assert.Equal(new[] { "lstm_9/lstm_cell_9/kernel:0", "lstm_9/lstm_cell_9/recurrent_kernel:0", "lstm_9/lstm_cell_9/bias:0" },
            graph.Layers[0].Weights.Select(w => w.Name));
    }

    [SkippableFact]
    public void A_graph_not_read_from_hdf5_is_written_with_the_attribute_kinds_tf_keras_2_15_writes()
    {
        var source = Fixtures.Path("aakash-churn/model.h5");
        H5Py.Require();
        var graph = LegacyH5.Read(source);
        graph.Metadata.SourceStyle = null;
        using var dir = new TempDir();
        var path = dir.File("default.h5");
        LegacyH5.Write(graph, path);
        var expected = H5Py.Dump(source);
        var actual = H5Py.Dump(path);
        foreach (var (obj, attr) in new[] { ("/", "keras_version"), ("/", "backend"), ("/", "model_config"), ("/", "training_config"),
                     ("/model_weights", "layer_names"), ("/model_weights", "backend"), ("/model_weights", "keras_version"), ("/model_weights/dense", "weight_names"),
                     ("/optimizer_weights", "weight_names") })
        {
            var e = expected[obj]!["attrs"]![attr]!;
            var a = actual[obj]!["attrs"]![attr]!;
            Assert.Equal($"{obj}@{attr}: {e["kind"]} {e["cset"]} {e["scalar"]}", $"{obj}@{attr}: {a["kind"]} {a["cset"]} {a["scalar"]}");
        }
    }
}
