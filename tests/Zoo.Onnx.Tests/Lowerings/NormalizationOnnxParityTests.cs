using Xunit.Abstractions;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;
using Zoo.Onnx.Export;
using Zoo.Onnx.Tests.Support;

namespace Zoo.Onnx.Tests.Lowerings;

/// <summary>
/// The normalization layers added with the normalization issue (renorm BatchNormalization, instance norm in
/// both spellings, TFA WeightNormalization, Keras 3 / TFA SpectralNormalization, LayerNormalization variants,
/// UnitNormalization, the four Zoo> layers one by one): random weights, exported, run on ONNX Runtime's CPU provider,
/// compared with Zoo's TorchSharp runtime within 1e-5.
/// </summary>
public class NormalizationOnnxParityTests(ITestOutputHelper output)
{
    private const string Dense4 = "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 4, \"activation\": \"tanh\", \"use_bias\": true}}";
    private const string Conv3 = "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c\", \"filters\": 3, \"kernel_size\": [3, 2], \"strides\": [2, 1], \"padding\": \"same\", \"activation\": \"relu\", \"use_bias\": true}}";

    // Keras 3 writes the wrapped layer with its module; the spec must read that spelling too.
    private const string Keras3Dense4 = "{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 4, \"activation\": \"linear\", \"use_bias\": true}, \"registered_name\": null}";
    private const string Keras3Conv3 = "{\"module\": \"keras.layers\", \"class_name\": \"Conv2D\", \"config\": {\"name\": \"c\", \"filters\": 3, \"kernel_size\": [2, 2], \"strides\": [1, 1], \"padding\": \"valid\", \"activation\": \"linear\", \"use_bias\": true}, \"registered_name\": null}";

    private static WeightTensor Positive(string layer, string name, long n, int seed)
        => WeightTensor.FromFloat32($"{layer}/{name}:0", new[] { n }, G.Rand((int)n, seed, 0.4f).Select(v => v + 0.6f).ToArray());

    private static WeightTensor Flag(string layer, bool on) => new($"{layer}/initialized:0", Array.Empty<long>(), DType.Bool, new[] { (byte)(on ? 1 : 0) });

    private static ModelGraph Seq(long[] input, KerasDialectKind dialect, params LayerNode[] layers)
    {
        var shape = new long?[] { null }.Concat(input.Skip(1).Select(d => (long?)d)).ToArray();
        var g = G.Sequential(new[] { G.Input("in", shape) }.Concat(layers).ToArray());
        g.Metadata.Dialect = dialect;
        return g;
    }

    private static readonly Dictionary<string, Func<(ModelGraph Graph, long[] Input)>> Cases = new()
    {
        ["BatchNormalization renorm (inference uses the moving statistics)"] = () => (Seq(new long[] { 2, 3, 4, 5 }, KerasDialectKind.Keras2,
            G.Layer("BatchNormalization", "bn", "{\"axis\": -1, \"epsilon\": 0.001, \"renorm\": true, \"renorm_clipping\": {\"rmax\": 3.0, \"rmin\": 0.33, \"dmax\": 5.0}, \"renorm_momentum\": 0.95}",
                G.W("bn", "gamma", [5], 1), G.W("bn", "beta", [5], 2), G.W("bn", "moving_mean", [5], 3), Positive("bn", "moving_variance", 5, 4),
                Positive("bn", "moving_stddev", 5, 5), G.W("bn", "renorm_mean", [5], 6), Positive("bn", "renorm_stddev", 5, 7))), new long[] { 2, 3, 4, 5 }),
        ["BatchNormalization renorm without center on axis 1"] = () => (Seq(new long[] { 2, 3, 4 }, KerasDialectKind.Keras2,
            G.Layer("BatchNormalization", "bn", "{\"axis\": 1, \"epsilon\": 0.01, \"center\": false, \"renorm\": true}",
                G.W("bn", "gamma", [3], 8), G.W("bn", "moving_mean", [3], 9), Positive("bn", "moving_variance", 3, 10),
                Positive("bn", "moving_stddev", 3, 11), G.W("bn", "renorm_mean", [3], 12), Positive("bn", "renorm_stddev", 3, 13))), new long[] { 2, 3, 4 }),
        ["GroupNormalization groups -1 on NHWC"] = () => (Seq(new long[] { 2, 3, 4, 5 }, KerasDialectKind.Keras3,
            G.Layer("GroupNormalization", "gn", "{\"groups\": -1, \"axis\": -1, \"epsilon\": 0.001}", G.W("gn", "gamma", [5], 14), G.W("gn", "beta", [5], 15))), new long[] { 2, 3, 4, 5 }),
        ["GroupNormalization groups -1 on a sequence"] = () => (Seq(new long[] { 3, 6, 4 }, KerasDialectKind.Keras3,
            G.Layer("GroupNormalization", "gn", "{\"groups\": -1, \"axis\": -1, \"epsilon\": 0.00001, \"center\": false}", G.W("gn", "gamma", [4], 16))), new long[] { 3, 6, 4 }),
        ["Addons InstanceNormalization on NHWC"] = () => (Seq(new long[] { 2, 4, 3, 6 }, KerasDialectKind.Keras2,
            G.Layer("Addons>InstanceNormalization", "inorm", "{\"groups\": -1, \"axis\": -1, \"epsilon\": 0.001, \"center\": true, \"scale\": true}",
                G.W("inorm", "gamma", [6], 17), G.W("inorm", "beta", [6], 18))), new long[] { 2, 4, 3, 6 }),
        ["Addons InstanceNormalization without scale"] = () => (Seq(new long[] { 2, 5, 3 }, KerasDialectKind.Keras2,
            G.Layer("Addons>InstanceNormalization", "inorm", "{\"axis\": -1, \"epsilon\": 0.001, \"center\": true, \"scale\": false}", G.W("inorm", "beta", [3], 19))), new long[] { 2, 5, 3 }),
        ["Addons WeightNormalization around Dense"] = () => (Seq(new long[] { 3, 6 }, KerasDialectKind.Keras2,
            G.Layer("Addons>WeightNormalization", "wn", "{\"layer\": " + Dense4 + ", \"data_init\": false}",
                G.W("wn", "g", [4], 20), G.W("wn", "kernel", [6, 4], 21), G.W("wn", "bias", [4], 22), Flag("wn", true))), new long[] { 3, 6 }),
        ["Addons WeightNormalization around Conv2D after its data init"] = () => (Seq(new long[] { 2, 5, 4, 2 }, KerasDialectKind.Keras2,
            G.Layer("Addons>WeightNormalization", "wn", "{\"layer\": " + Conv3 + ", \"data_init\": true}",
                G.W("wn", "g", [3], 23), G.W("wn", "kernel", [3, 2, 2, 3], 24), G.W("wn", "bias", [3], 25), Flag("wn", true),
                G.W("wn/data_dep_init", "kernel", [3, 2, 2, 3], 26), G.W("wn/data_dep_init", "bias", [3], 27))), new long[] { 2, 5, 4, 2 }),
        ["Keras 3 SpectralNormalization around Dense"] = () => (Seq(new long[] { 3, 5 }, KerasDialectKind.Keras3,
            G.Layer("SpectralNormalization", "sn", "{\"layer\": " + Keras3Dense4 + ", \"power_iterations\": 1}",
                G.W("sn", "kernel", [5, 4], 28), G.W("sn", "bias", [4], 29), G.W("sn", "vector_u", [1, 4], 30))), new long[] { 3, 5 }),
        ["Keras 3 SpectralNormalization around Conv2D"] = () => (Seq(new long[] { 2, 4, 5, 2 }, KerasDialectKind.Keras3,
            G.Layer("SpectralNormalization", "sn", "{\"layer\": " + Keras3Conv3 + ", \"power_iterations\": 2}",
                G.W("sn", "kernel", [2, 2, 2, 3], 31), G.W("sn", "bias", [3], 32), G.W("sn", "vector_u", [1, 3], 33))), new long[] { 2, 4, 5, 2 }),
        ["Addons SpectralNormalization around Dense"] = () => (Seq(new long[] { 3, 5 }, KerasDialectKind.Keras2,
            G.Layer("Addons>SpectralNormalization", "sn", "{\"layer\": " + Dense4 + ", \"power_iterations\": 1}",
                G.W("sn", "kernel", [5, 4], 34), G.W("sn", "bias", [4], 35), G.W("sn", "sn_u", [1, 4], 36))), new long[] { 3, 5 }),
        ["Addons SpectralNormalization around Conv2D"] = () => (Seq(new long[] { 2, 5, 4, 2 }, KerasDialectKind.Keras2,
            G.Layer("Addons>SpectralNormalization", "sn", "{\"layer\": " + Conv3 + ", \"power_iterations\": 1}",
                G.W("sn", "kernel", [3, 2, 2, 3], 37), G.W("sn", "bias", [3], 38), G.W("sn", "sn_u", [1, 3], 39))), new long[] { 2, 5, 4, 2 }),
        ["LayerNormalization over H W C without center or scale"] = () => (Seq(new long[] { 2, 3, 4, 2 }, KerasDialectKind.Keras2,
            G.Layer("LayerNormalization", "ln", "{\"axis\": [1, 2, 3], \"epsilon\": 0.001, \"center\": false, \"scale\": false}")), new long[] { 2, 3, 4, 2 }),
        ["LayerNormalization over a middle axis"] = () => (Seq(new long[] { 2, 5, 3 }, KerasDialectKind.Keras2,
            G.Layer("LayerNormalization", "ln", "{\"axis\": [1], \"epsilon\": 0.001}", G.W("ln", "gamma", [5], 40), G.W("ln", "beta", [5], 41))), new long[] { 2, 5, 3 }),
        ["LayerNormalization Keras 3 rms_scaling"] = () => (Seq(new long[] { 2, 3, 6 }, KerasDialectKind.Keras3,
            G.Layer("LayerNormalization", "ln", "{\"axis\": -1, \"epsilon\": 0.001, \"rms_scaling\": true}", G.W("ln", "gamma", [6], 42))), new long[] { 2, 3, 6 }),
        ["UnitNormalization last axis"] = () => (Seq(new long[] { 3, 7 }, KerasDialectKind.Keras3,
            G.Layer("UnitNormalization", "un", "{\"axis\": -1}")), new long[] { 3, 7 }),
        ["UnitNormalization over two axes"] = () => (Seq(new long[] { 2, 3, 4 }, KerasDialectKind.Keras2,
            G.Layer("UnitNormalization", "un", "{\"axis\": [1, 2]}")), new long[] { 2, 3, 4 }),
        ["Zoo BatchInstanceNormalization on NHWC"] = () => (Seq(new long[] { 2, 3, 4, 5 }, KerasDialectKind.Keras2,
            G.Layer("Zoo>BatchInstanceNormalization", "bin", "{\"epsilon\": 0.001}", G.W("bin", "gamma", [5], 43), G.W("bin", "beta", [5], 44),
                Positive("bin", "rho", 5, 45), G.W("bin", "moving_mean", [5], 46), Positive("bin", "moving_variance", 5, 47))), new long[] { 2, 3, 4, 5 }),
        ["Zoo BatchInstanceNormalization on a sequence, rho outside [0, 1] clipped"] = () => (Seq(new long[] { 2, 6, 3 }, KerasDialectKind.Keras2,
            G.Layer("Zoo>BatchInstanceNormalization", "bin", "{\"center\": false}", G.W("bin", "gamma", [3], 48),
                G.W("bin", "rho", [3], 49, 3f), G.W("bin", "moving_mean", [3], 50), Positive("bin", "moving_variance", 3, 51))), new long[] { 2, 6, 3 }),
        ["Zoo SwitchableNormalization on NHWC"] = () => (Seq(new long[] { 2, 3, 4, 5 }, KerasDialectKind.Keras2,
            G.Layer("Zoo>SwitchableNormalization", "swn", "{}", G.W("swn", "gamma", [5], 57), G.W("swn", "beta", [5], 58),
                G.W("swn", "mean_weights", [3], 59, 2f), G.W("swn", "variance_weights", [3], 60, 2f), G.W("swn", "moving_mean", [5], 61), Positive("swn", "moving_variance", 5, 62))), new long[] { 2, 3, 4, 5 }),
        ["Zoo SwitchableNormalization on a sequence without scale"] = () => (Seq(new long[] { 3, 5, 4 }, KerasDialectKind.Keras2,
            G.Layer("Zoo>SwitchableNormalization", "swn", "{\"scale\": false}", G.W("swn", "beta", [4], 63),
                G.W("swn", "mean_weights", [3], 64, 2f), G.W("swn", "variance_weights", [3], 65, 2f), G.W("swn", "moving_mean", [4], 66), Positive("swn", "moving_variance", 4, 67))), new long[] { 3, 5, 4 }),
        ["Zoo OnlineNormalization on a 2-D input"] = () => (Seq(new long[] { 4, 6 }, KerasDialectKind.Keras2,
            G.Layer("Zoo>OnlineNormalization", "online", "{\"epsilon\": 0.01}", G.W("online", "gamma", [6], 74), G.W("online", "beta", [6], 75),
                G.W("online", "moving_mean", [6], 76), Positive("online", "moving_variance", 6, 77))), new long[] { 4, 6 }),
        ["Zoo CosineNormalization around Dense"] = () => (Seq(new long[] { 3, 6 }, KerasDialectKind.Keras2,
            G.Layer("Zoo>CosineNormalization", "cos", "{\"layer\": " + Dense4 + "}", G.W("cos", "kernel", [6, 4], 82), G.W("cos", "bias", [4], 83))), new long[] { 3, 6 }),
        ["Zoo CosineNormalization around Conv2D"] = () => (Seq(new long[] { 2, 5, 4, 2 }, KerasDialectKind.Keras2,
            G.Layer("Zoo>CosineNormalization", "cos", "{\"layer\": " + Conv3 + "}", G.W("cos", "kernel", [3, 2, 2, 3], 84), G.W("cos", "bias", [3], 85))), new long[] { 2, 5, 4, 2 }),
        // A layer after each wrapper needs the wrapper's output shape to size its own weights at export.
        ["Addons WeightNormalization around Dense, then a Dense"] = () => (Seq(new long[] { 3, 6 }, KerasDialectKind.Keras2,
            G.Layer("Addons>WeightNormalization", "wn", "{\"layer\": " + Dense4 + ", \"data_init\": false}",
                G.W("wn", "g", [4], 86), G.W("wn", "kernel", [6, 4], 87), G.W("wn", "bias", [4], 88), Flag("wn", true)),
            G.Layer("Dense", "after", "{\"units\": 3}", G.W("after", "kernel", [4, 3], 89), G.W("after", "bias", [3], 90))), new long[] { 3, 6 }),
        ["Keras 3 SpectralNormalization around Conv2D, then Flatten and Dense"] = () => (Seq(new long[] { 2, 4, 5, 2 }, KerasDialectKind.Keras3,
            G.Layer("SpectralNormalization", "sn", "{\"layer\": " + Keras3Conv3 + ", \"power_iterations\": 1}",
                G.W("sn", "kernel", [2, 2, 2, 3], 91), G.W("sn", "bias", [3], 92), G.W("sn", "vector_u", [1, 3], 93)),
            G.Layer("Flatten", "flat", "{}"),
            G.Layer("Dense", "after", "{\"units\": 2}", G.W("after", "kernel", [36, 2], 94), G.W("after", "bias", [2], 95))), new long[] { 2, 4, 5, 2 }),
        ["Addons SpectralNormalization around Dense, then a Dense"] = () => (Seq(new long[] { 3, 5 }, KerasDialectKind.Keras2,
            G.Layer("Addons>SpectralNormalization", "spectral", "{\"layer\": " + Dense4 + ", \"power_iterations\": 1}",
                G.W("spectral", "kernel", [5, 4], 96), G.W("spectral", "bias", [4], 97), G.W("spectral", "sn_u", [1, 4], 98)),
            G.Layer("Dense", "after", "{\"units\": 3}", G.W("after", "kernel", [4, 3], 99), G.W("after", "bias", [3], 100))), new long[] { 3, 5 }),
        ["Addons InstanceNormalization, then Flatten and Dense"] = () => (Seq(new long[] { 2, 3, 2, 4 }, KerasDialectKind.Keras2,
            G.Layer("Addons>InstanceNormalization", "inorm", "{\"axis\": -1}", G.W("inorm", "gamma", [4], 101), G.W("inorm", "beta", [4], 102)),
            G.Layer("Flatten", "flat", "{}"),
            G.Layer("Dense", "after", "{\"units\": 2}", G.W("after", "kernel", [24, 2], 103), G.W("after", "bias", [2], 104))), new long[] { 2, 3, 2, 4 }),
    };

    /// <summary>Every case name, for the theory.</summary>
    public static IEnumerable<object[]> Names => Cases.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_normalization_layer_gives_Zoo_runtime_numbers_on_ONNX_Runtime_within_1e5(string name)
    {
        var (g, shape) = Cases[name]();
        var x = G.Rand((int)shape.Aggregate(1L, (a, b) => a * b), 77, 2f);
        var zoo = OnnxParity.Zoo(g, new[] { (x, shape) })[0].Data;
        // Guards against a vacuous agreement: the layer must actually move the values.
        Assert.True(zoo.Length != x.Length || OnnxParity.MaxAbs(zoo, x) > 1e-3f, $"{name}: the output equals the input");
        output.WriteLine($"{name}: max abs error {OnnxParity.AssertAgree(g, new[] { (x, shape) }):E2}");
    }

    [Theory]
    [InlineData("Zoo>BatchInstanceNormalization", "bin", "gamma,beta,rho,moving_mean,moving_variance")]
    [InlineData("Zoo>SwitchableNormalization", "swn", "gamma,beta,mean_weights,variance_weights,moving_mean,moving_variance")]
    [InlineData("Zoo>OnlineNormalization", "online", "gamma,beta,moving_mean,moving_variance")]
    public void A_Zoo_channel_normalization_on_a_non_last_axis_is_refused_with_the_layer_named(string cls, string name, string weights)
    {
        // The runtime runs these on any axis; the export folds per-channel constants for channels last only.
        var w = weights.Split(',').Select((n, i) => n is "mean_weights" or "variance_weights" ? G.W(name, n, [3], 90 + i) : Positive(name, n, 3, 90 + i)).ToArray();
        var g = Seq(new long[] { 2, 3, 4, 5 }, KerasDialectKind.Keras2, G.Layer(cls, name, "{\"axis\": 1}", w));
        Assert.Equal(new long[] { 2, 3, 4, 5 }, OnnxParity.Zoo(g, new[] { (G.Rand(120, 3), new long[] { 2, 3, 4, 5 }) })[0].Shape);
        var e = Assert.Throws<UnsupportedFeatureException>(() => OnnxExporter.Export(g));
        Assert.Contains($"'{name}'", e.Message);
        Assert.Contains("channels-last", e.Message);
        Assert.Contains("found axis 1", e.Message);
    }

    [Fact]
    public void WeightNormalization_on_ONNX_Runtime_is_x_times_g_v_over_norm_v_plus_bias_tanh()
    {
        var (g, shape) = Cases["Addons WeightNormalization around Dense"]();
        var x = G.Rand(18, 5, 2f);
        var y = OnnxParity.Ort(g, new[] { (x, shape) })[0].Data;
        var w = g.Layers[1].Weights;
        float[] gv = w[0].ToFloat32(), v = w[1].ToFloat32(), b = w[2].ToFloat32();
        for (int n = 0; n < 3; n++)
        for (int j = 0; j < 4; j++)
        {
            double norm = Math.Sqrt(Enumerable.Range(0, 6).Sum(i => (double)v[i * 4 + j] * v[i * 4 + j]));
            double z = Enumerable.Range(0, 6).Sum(i => (double)x[n * 6 + i] * v[i * 4 + j]) * gv[j] / norm + b[j];
            Assert.Equal(Math.Tanh(z), y[n * 4 + j], 5);
        }
    }

    [Fact]
    public void A_WeightNormalization_that_has_not_run_its_data_init_is_refused_with_the_layer_named()
    {
        var (g, _) = Cases["Addons WeightNormalization around Conv2D after its data init"]();
        var layer = g.Layers[1];
        layer.Weights[3] = Flag("wn", false);
        var e = Assert.Throws<UnsupportedFeatureException>(() => OnnxExporter.Export(g));
        Assert.Contains("'wn'", e.Message);
        Assert.Contains("initialized", e.Message);
    }
}
