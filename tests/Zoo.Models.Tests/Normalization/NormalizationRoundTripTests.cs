using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Normalization;

/// <summary>
/// Every normalization layer, with weights as Keras names them, through each format: configs come back equal,
/// weights bit-identical, and the model read back binds strictly and predicts the same.
/// </summary>
public class NormalizationRoundTripTests
{
    private const int C = 4;

    private static WeightTensor Ones(string layer, string name, long[] shape)
        => WeightTensor.FromFloat32($"{layer}/{name}:0", shape, Enumerable.Repeat(1f, (int)WeightTensor.ElementCount(shape)).ToArray());

    private static WeightTensor Flag(string layer, bool on) => new($"{layer}/initialized:0", Array.Empty<long>(), DType.Bool, new[] { (byte)(on ? 1 : 0) });

    /// <summary>A Keras 2 (tf.keras) Sequential model holding every layer of issue #8 that tf.keras can hold.</summary>
    internal static ModelGraph Keras2Model()
    {
        var dense = "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense\", \"units\": 4, \"activation\": \"tanh\", \"use_bias\": true}}";
        var conv = "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv\", \"filters\": 4, \"kernel_size\": [2, 2], \"padding\": \"same\", \"activation\": \"linear\", \"use_bias\": true}}";
        var layers = new[]
        {
            G.Layer("InputLayer", "in", "{\"batch_input_shape\": [null, 3, 3, 4]}"),
            G.Layer("BatchNormalization", "bn", "{\"axis\": -1, \"momentum\": 0.9, \"epsilon\": 0.001, \"center\": true, \"scale\": true, \"renorm\": true, \"renorm_clipping\": {\"rmax\": 3.0, \"rmin\": 0.3333, \"dmax\": 5.0}, \"renorm_momentum\": 0.95}",
                G.W("bn", "gamma", [C], 1), G.W("bn", "beta", [C], 2), G.W("bn", "moving_mean", [C], 3),
                Ones("bn", "moving_variance", [C]), Ones("bn", "moving_stddev", [C]), G.W("bn", "renorm_mean", [C], 4), Ones("bn", "renorm_stddev", [C])),
            G.Layer("Addons>InstanceNormalization", "inorm", "{\"groups\": -1, \"axis\": -1, \"epsilon\": 0.001, \"center\": true, \"scale\": true}",
                G.W("inorm", "gamma", [C], 5), G.W("inorm", "beta", [C], 6)),
            G.Layer("Addons>WeightNormalization", "wn_conv", "{\"layer\": " + conv + ", \"data_init\": true}",
                G.W("wn_conv", "g", [C], 7), G.W("wn_conv", "kernel", [2, 2, C, C], 8), G.W("wn_conv", "bias", [C], 9), Flag("wn_conv", true),
                G.W("wn_conv/data_dep_init", "kernel", [2, 2, C, C], 10), G.W("wn_conv/data_dep_init", "bias", [C], 11)),
            G.Layer("GroupNormalization", "gn", "{\"groups\": 2, \"axis\": -1, \"epsilon\": 0.001, \"center\": true, \"scale\": true}",
                G.W("gn", "gamma", [C], 12), G.W("gn", "beta", [C], 13)),
            G.Layer("Flatten", "flat", "{}"),
            G.Layer("Addons>WeightNormalization", "wn_dense", "{\"layer\": " + dense + ", \"data_init\": false}",
                G.W("wn_dense", "g", [C], 14), G.W("wn_dense", "kernel", [36, C], 15), G.W("wn_dense", "bias", [C], 16), Flag("wn_dense", true)),
            G.Layer("LayerNormalization", "ln", "{\"axis\": [-1], \"epsilon\": 0.001, \"center\": true, \"scale\": true}",
                G.W("ln", "gamma", [C], 17), G.W("ln", "beta", [C], 18)),
            G.Layer("Addons>SpectralNormalization", "spectral", "{\"layer\": " + dense.Replace("\"dense\"", "\"dense_sn\"") + ", \"power_iterations\": 2}",
                G.W("spectral", "kernel", [C, C], 19), G.W("spectral", "bias", [C], 20), G.W("spectral", "sn_u", [1, C], 21)),
            G.Layer("UnitNormalization", "un", "{\"axis\": [-1]}"),
        };
        var graph = G.Sequential(layers);
        graph.Metadata.KerasVersion = "2.15.0";
        return graph;
    }

    [Theory]
    [InlineData("m.h5")]
    [InlineData("m.keras")]
    public void Every_normalization_layer_round_trips_with_bit_identical_weights_and_binds_back(string file)
    {
        var graph = Keras2Model();
        var dir = Directory.CreateTempSubdirectory("zoo-norm-");
        try
        {
            var path = Path.Combine(dir.FullName, file);
            KerasFile.Save(graph, path, new SaveOptions { Dialect = KerasDialectKind.Keras2 });
            var back = KerasFile.Load(path);
            Assert.Empty(GraphComparer.Differences(graph, back, compareWeightNames: file.EndsWith(".h5")));
            var x = G.Rand(2 * 3 * 3 * C, 40, 2f);
            var y0 = G.Run(graph, x, [2, 3, 3, C], out _);
            var y1 = G.Run(back, x, [2, 3, 3, C], out _);
            Assert.Equal(y0, y1);
        }
        finally { dir.Delete(true); }
    }

    [Theory]
    [InlineData(KerasFormat.Json)]
    [InlineData(KerasFormat.Yaml)]
    public void Every_normalization_layer_config_round_trips_through_architecture_text(KerasFormat format)
    {
        var back = ArchitectureTextRoundTrip.Check(Keras2Model(), format);
        var bn = back.Layers.Single(l => l.Name == "bn").Config;
        Assert.Equal(0.3333, bn["renorm_clipping"]!["rmin"]!.GetValue<double>());
    }
}
