using System.Text.Json.Nodes;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Normalization;

/// <summary>
/// The four Zoo normalizations through every format: Keras 2's custom-object form (<c>"class_name": "Zoo&gt;…"</c>)
/// and Keras 3's (plain class name, <c>registered_name</c> "Zoo&gt;…"), weights bit-identical, predictions equal.
/// </summary>
public class ZooNormalizationRoundTripTests
{
    private const int C = 4;

    internal static ModelGraph Keras2Model()
    {
        var conv = "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv_inner\", \"filters\": 4, \"kernel_size\": [2, 2], \"padding\": \"same\", \"activation\": \"linear\", \"use_bias\": true}}";
        var dense = "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense_inner\", \"units\": 3, \"activation\": \"softmax\", \"use_bias\": true}}";
        var graph = G.Sequential(
            G.Layer("InputLayer", "in", "{\"batch_input_shape\": [null, 3, 3, 4]}"),
            G.Layer("Zoo>CosineNormalization", "cos_conv", "{\"epsilon\": 1e-07, \"layer\": " + conv + "}",
                G.W("cos_conv", "kernel", [2, 2, C, C], 1), G.W("cos_conv", "bias", [C], 2)),
            G.Layer("Zoo>BatchInstanceNormalization", "bin", "{\"axis\": -1, \"epsilon\": 0.001, \"momentum\": 0.9, \"center\": true, \"scale\": true}",
                G.W("bin", "gamma", [C], 3), G.W("bin", "beta", [C], 4), G.W("bin", "rho", [C], 5), G.W("bin", "moving_mean", [C], 6), Pos("bin", "moving_variance")),
            G.Layer("Zoo>SwitchableNormalization", "swn", "{\"axis\": -1, \"epsilon\": 0.001, \"momentum\": 0.9, \"center\": true, \"scale\": true}",
                G.W("swn", "gamma", [C], 7), G.W("swn", "beta", [C], 8), G.W("swn", "mean_weights", [3], 9), G.W("swn", "variance_weights", [3], 10),
                G.W("swn", "moving_mean", [C], 11), Pos("swn", "moving_variance")),
            G.Layer("Zoo>OnlineNormalization", "online", "{\"axis\": -1, \"epsilon\": 0.001, \"alpha_fwd\": 0.99, \"center\": false, \"scale\": true}",
                G.W("online", "gamma", [C], 12), G.W("online", "moving_mean", [C], 13), Pos("online", "moving_variance")),
            G.Layer("Flatten", "flat", "{}"),
            G.Layer("Zoo>CosineNormalization", "cos_dense", "{\"layer\": " + dense + "}",
                G.W("cos_dense", "kernel", [36, 3], 14), G.W("cos_dense", "bias", [3], 15)));
        graph.Metadata.KerasVersion = "2.15.0";
        return graph;
    }

    private static WeightTensor Pos(string layer, string name)
        => WeightTensor.FromFloat32($"{layer}/{name}:0", [C], G.Rand(C, 99).Select(v => 1 + Math.Abs(v)).ToArray());

    [Theory]
    [InlineData("m.h5", KerasDialectKind.Keras2)]
    [InlineData("m.keras", KerasDialectKind.Keras3)]
    [InlineData("m.h5", KerasDialectKind.Keras3)]
    public void Zoo_normalizations_round_trip_with_bit_identical_weights_and_equal_predictions(string file, KerasDialectKind dialect)
    {
        var graph = Keras2Model();
        var dir = Directory.CreateTempSubdirectory("zoo-normz-");
        try
        {
            var path = Path.Combine(dir.FullName, file);
            KerasFile.Save(graph, path, new SaveOptions { Dialect = dialect });
            var back = KerasFile.Load(path);
            Assert.Contains(back.Layers, l => l.ClassName == "Zoo>SwitchableNormalization");
            var x = G.Rand(2 * 3 * 3 * C, 40, 2f);
            Assert.Equal(G.Run(graph, x, [2, 3, 3, C], out _), G.Run(back, x, [2, 3, 3, C], out _));
            var before = graph.AllWeights().Select(w => Convert.ToHexString(w.Data)).Order().ToList();
            var after = back.AllWeights().Select(w => Convert.ToHexString(w.Data)).Order().ToList();
            Assert.Equal(before, after);
        }
        finally { dir.Delete(true); }
    }

    [Theory]
    [InlineData(KerasFormat.Json)]
    [InlineData(KerasFormat.Yaml)]
    public void Zoo_normalization_configs_round_trip_through_architecture_text(KerasFormat format)
        => ArchitectureTextRoundTrip.Check(Keras2Model(), format);

    [Fact]
    public void Keras3_json_names_a_Zoo_layer_by_class_name_and_registered_name_and_Keras2_json_by_registered_name()
    {
        var graph = Keras2Model();
        var dir = Directory.CreateTempSubdirectory("zoo-normz-");
        try
        {
            var k3 = Path.Combine(dir.FullName, "k3.json");
            KerasFile.Save(graph, k3, new SaveOptions { Format = KerasFormat.Json, Dialect = KerasDialectKind.Keras3 });
            var layers = JsonNode.Parse(File.ReadAllText(k3))!["config"]!["layers"]!.AsArray();
            var bin = layers.Single(l => l!["config"]!["name"]!.GetValue<string>() == "bin")!;
            Assert.Equal("BatchInstanceNormalization", bin["class_name"]!.GetValue<string>());
            Assert.Equal("Zoo>BatchInstanceNormalization", bin["registered_name"]!.GetValue<string>());
            Assert.Equal("zoo.layers", bin["module"]!.GetValue<string>());
            Assert.Equal("Zoo>BatchInstanceNormalization", KerasFile.Load(k3).Layers.Single(l => l.Name == "bin").ClassName);

            var k2 = Path.Combine(dir.FullName, "k2.json");
            KerasFile.Save(KerasFile.Load(k3), k2, new SaveOptions { Format = KerasFormat.Json, Dialect = KerasDialectKind.Keras2 });
            var back = JsonNode.Parse(File.ReadAllText(k2))!["config"]!["layers"]!.AsArray();
            Assert.Equal("Zoo>BatchInstanceNormalization", back.Single(l => l!["config"]!["name"]!.GetValue<string>() == "bin")!["class_name"]!.GetValue<string>());
        }
        finally { dir.Delete(true); }
    }
}
