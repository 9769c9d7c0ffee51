using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;

namespace Zoo.Onnx.Tests.Support;

/// <summary>
/// The transfer-learning shapes Keras users build, a pre-trained base used as a layer, in the tf.keras 2 layout Keras
/// writes: the nested model keeps its own config and the outer model names its calls from node 1 (a built model's
/// node 0 is its own, never saved). Every model takes 8×8×3 images (the shared base takes two) and has random
/// weights; the bases are a small residual block (convolution, BatchNormalization, ReLU, convolution, Add).
/// </summary>
internal static class NestedModels
{
    /// <summary>Each case by name.</summary>
    public static readonly IReadOnlyDictionary<string, Func<ModelGraph>> All = new Dictionary<string, Func<ModelGraph>>
    {
        ["functional base called with training false"] = TransferLearning,
        ["functional base shared by two inputs"] = SharedBase,
        ["functional base nested two deep"] = TwoDeep,
        ["sequential base in a sequential model"] = SequentialInSequential,
        ["sequential base in a functional model"] = SequentialInFunctional,
    };

    /// <summary>Every case name, for theories.</summary>
    public static IEnumerable<object[]> Names => All.Keys.Select(k => new object[] { k });

    /// <summary>Random images for every input of <paramref name="g"/>: a batch of 3, 8×8×3 each.</summary>
    public static IReadOnlyList<(float[] Data, long[] Shape)> Inputs(ModelGraph g, int seed = 11)
    {
        int count = g.IsSequential ? 1 : g.Inputs.Count;
        return Enumerable.Range(0, count).Select(i => (G.Rand(3 * 8 * 8 * 3, seed + i, 2f), new long[] { 3, 8, 8, 3 })).ToArray();
    }

    /// <summary><c>x = base(inp, training=False)</c>, global average pooling, a softmax head: what keras.io's transfer-learning guide builds.</summary>
    public static ModelGraph TransferLearning() => Functional("transfer", ["image"],
        [
            Input("image"),
            BaseFunctional("base", """[[["image", 0, 0, {"training": false}]]]"""),
            Layer("GlobalAveragePooling2D", "gap", "{}", """[[["base", 1, 0, {}]]]"""),
            Layer("Dense", "head", Softmax5, """[[["gap", 0, 0, {}]]]"""),
        ], Base("base", 1), Head("head", 4, 2));

    /// <summary>One base called on two inputs (nodes 1 and 2), one pooling layer called twice (nodes 0 and 1), concatenated.</summary>
    public static ModelGraph SharedBase() => Functional("siamese", ["left", "right"],
        [
            Input("left"),
            Input("right"),
            BaseFunctional("base", """[[["left", 0, 0, {"training": false}]], [["right", 0, 0, {"training": false}]]]"""),
            Layer("GlobalAveragePooling2D", "gap", "{}", """[[["base", 1, 0, {}]], [["base", 2, 0, {}]]]"""),
            Layer("Concatenate", "concat", """{"axis": -1}""", """[[["gap", 0, 0, {}], ["gap", 1, 0, {}]]]"""),
            Layer("Dense", "head", Softmax5, """[[["concat", 0, 0, {}]]]"""),
        ], Base("base", 3), Head("head", 8, 4));

    /// <summary>A base inside a feature extractor inside the classifier; each refers to its child's first call as node 1.</summary>
    public static ModelGraph TwoDeep() => Functional("two_deep", ["image"],
        [
            Input("image"),
            Model("Functional", "extractor", """[[["image", 0, 0, {"training": false}]]]""",
            [
                Input("extractor_input"),
                BaseFunctional("base", """[[["extractor_input", 0, 0, {}]]]"""),
                Layer("MaxPooling2D", "extractor_pool", """{"pool_size": [2, 2], "strides": [2, 2], "padding": "valid"}""", """[[["base", 1, 0, {}]]]"""),
            ], "extractor_input", "extractor_pool"),
            Layer("Flatten", "flatten", "{}", """[[["extractor", 1, 0, {}]]]"""),
            Layer("Dense", "head", Softmax5, """[[["flatten", 0, 0, {}]]]"""),
        ], Base("extractor/base", 5), Head("head", 16, 6));

    /// <summary><c>Sequential([base, GlobalAveragePooling2D(), Dense(5)])</c> with a Sequential base built on an input.</summary>
    public static ModelGraph SequentialInSequential() => Parse(new JsonObject
    {
        ["class_name"] = "Sequential",
        ["config"] = new JsonObject
        {
            ["name"] = "classifier",
            ["layers"] = new JsonArray(
                Plain(Input("image")), BaseSequential("base", null), Plain(Layer("GlobalAveragePooling2D", "gap", "{}", "[]")), Plain(Layer("Dense", "head", Softmax5, "[]"))),
        },
    }, Base("base", 7), Head("head", 4, 8));

    /// <summary>A Sequential base (built on an input, so its first saved call is node 1) called with training=False.</summary>
    public static ModelGraph SequentialInFunctional() => Functional("transfer_seq", ["image"],
        [
            Input("image"),
            BaseSequential("base", """[[["image", 0, 0, {"training": false}]]]"""),
            Layer("GlobalAveragePooling2D", "gap", "{}", """[[["base", 1, 0, {}]]]"""),
            Layer("Dense", "head", Softmax5, """[[["gap", 0, 0, {}]]]"""),
        ], Base("base", 9), Head("head", 4, 10));

    private const string Softmax5 = """{"units": 5, "activation": "softmax", "use_bias": true}""";
    private const string Conv1 = """{"filters": 4, "kernel_size": [3, 3], "strides": [2, 2], "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "linear", "use_bias": true}""";
    private const string Bn = """{"axis": [3], "momentum": 0.99, "epsilon": 0.001, "center": true, "scale": true}""";
    private const string Relu = """{"activation": "relu"}""";
    private const string Conv2 = """{"filters": 4, "kernel_size": [3, 3], "strides": [1, 1], "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "linear", "use_bias": true}""";

    private static JsonObject Input(string name)
        => Layer("InputLayer", name, """{"batch_input_shape": [null, 8, 8, 3], "dtype": "float32", "sparse": false, "ragged": false}""", "[]");

    private static JsonObject Layer(string cls, string name, string config, string inbound)
    {
        var c = G.Cfg(config);
        c["name"] = name;
        return new JsonObject { ["class_name"] = cls, ["name"] = name, ["config"] = c, ["inbound_nodes"] = JsonNode.Parse(inbound) };
    }

    // A Sequential's layers carry neither name nor inbound nodes outside their config.
    private static JsonObject Plain(JsonObject layer)
    {
        layer.Remove("name");
        layer.Remove("inbound_nodes");
        return layer;
    }

    private static JsonObject Model(string cls, string name, string inbound, JsonObject[] layers, string input, string output) => new()
    {
        ["class_name"] = cls,
        ["name"] = name,
        ["inbound_nodes"] = JsonNode.Parse(inbound),
        ["config"] = new JsonObject
        {
            ["name"] = name,
            ["layers"] = new JsonArray(layers.Select(l => (JsonNode?)l).ToArray()),
            ["input_layers"] = new JsonArray(new JsonArray(input, 0, 0)),
            ["output_layers"] = new JsonArray(new JsonArray(output, 0, 0)),
        },
    };

    // Conv (stride 2) → BatchNormalization → ReLU → Conv → Add(ReLU, Conv): 8×8×3 in, 4×4×4 out.
    private static JsonObject BaseFunctional(string name, string inbound) => Model("Functional", name, inbound,
        [
            Input(name + "_input"),
            Layer("Conv2D", "conv1", Conv1, $$"""[[["{{name}}_input", 0, 0, {}]]]"""),
            Layer("BatchNormalization", "bn", Bn, """[[["conv1", 0, 0, {}]]]"""),
            Layer("Activation", "relu", Relu, """[[["bn", 0, 0, {}]]]"""),
            Layer("Conv2D", "conv2", Conv2, """[[["relu", 0, 0, {}]]]"""),
            Layer("Add", "add", "{}", """[[["relu", 0, 0, {}], ["conv2", 0, 0, {}]]]"""),
        ], name + "_input", "add");

    // The same chain without the residual Add (a Sequential has none); in a functional model it has inbound nodes.
    private static JsonObject BaseSequential(string name, string? inbound)
    {
        var layers = new JsonArray(Plain(Input(name + "_input")), Plain(Layer("Conv2D", "conv1", Conv1, "[]")), Plain(Layer("BatchNormalization", "bn", Bn, "[]")),
            Plain(Layer("Activation", "relu", Relu, "[]")), Plain(Layer("Conv2D", "conv2", Conv2, "[]")));
        var model = new JsonObject { ["class_name"] = "Sequential", ["config"] = new JsonObject { ["name"] = name, ["layers"] = layers } };
        if (inbound is not null)
        {
            model["name"] = name;
            model["inbound_nodes"] = JsonNode.Parse(inbound);
        }
        return model;
    }

    private static ModelGraph Functional(string name, string[] inputs, JsonObject[] layers, params Action<ModelGraph>[] weights)
    {
        var model = Model("Functional", name, "[]", layers, "", "head");
        model.Remove("name");
        model.Remove("inbound_nodes");
        model["config"]!["input_layers"] = new JsonArray(inputs.Select(i => (JsonNode?)new JsonArray(i, 0, 0)).ToArray());
        return Parse(model, weights);
    }

    private static ModelGraph Parse(JsonObject model, params Action<ModelGraph>[] weights)
    {
        var g = ModelConfigCodec.Parse(model, null, "2.15.0");
        g.Metadata.KerasVersion = "2.15.0";
        g.Metadata.Backend = "tensorflow";
        foreach (var w in weights) w(g);
        return g;
    }

    // The base's weights, with positive variances; path is the base's layer path ("extractor/base").
    private static Action<ModelGraph> Base(string path, int seed) => g =>
    {
        var b = Nested(g, path);
        b.GetLayer("conv1").Weights.AddRange([G.W("conv1", "kernel", [3, 3, 3, 4], seed), G.W("conv1", "bias", [4], seed + 100)]);
        b.GetLayer("bn").Weights.AddRange([G.W("bn", "gamma", [4], seed + 200), G.W("bn", "beta", [4], seed + 300), G.W("bn", "moving_mean", [4], seed + 400),
            WeightTensor.FromFloat32("bn/moving_variance:0", [4], G.Rand(4, seed + 500, 0.5f).Select(v => v + 1f).ToArray())]);
        b.GetLayer("conv2").Weights.AddRange([G.W("conv2", "kernel", [3, 3, 4, 4], seed + 600), G.W("conv2", "bias", [4], seed + 700)]);
    };

    // The five-way softmax head.
    private static Action<ModelGraph> Head(string name, long inputs, int seed)
        => g => g.GetLayer(name).Weights.AddRange([G.W(name, "kernel", [inputs, 5], seed), G.W(name, "bias", [5], seed + 100)]);

    private static ModelGraph Nested(ModelGraph g, string path)
    {
        foreach (var part in path.Split('/')) g = g.GetLayer(part).Nested ?? throw new InvalidOperationException($"'{part}' is not a nested model");
        return g;
    }
}
