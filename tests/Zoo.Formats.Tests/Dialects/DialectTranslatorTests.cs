using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Dialects;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Tests.Dialects;

public class DialectTranslatorTests
{
    private static ModelGraph Parse(string json, KerasDialectKind dialect)
    {
        var g = ModelConfigCodec.Parse(JsonNode.Parse(json)!);
        g.Metadata.Dialect = dialect;
        return g;
    }

    private static string Functional(string layers)
        => """{"class_name": "Model", "config": {"name": "m", "layers": [""" + layers + """], "input_layers": [["a", 0, 0]], "output_layers": [["out", 0, 0]]}}""";

    private const string TwoInputs = """
        {"class_name": "InputLayer", "name": "a", "config": {"name": "a", "batch_input_shape": [null, 4], "input_dtype": "float32", "sparse": false}, "inbound_nodes": []},
        {"class_name": "InputLayer", "name": "b", "config": {"name": "b", "batch_input_shape": [null, 4], "input_dtype": "float32", "sparse": false}, "inbound_nodes": []}
        """;

    [Fact]
    public void Keras1_cos_merge_becomes_a_normalized_Dot_on_the_same_axes()
    {
        var g = Parse(Functional(TwoInputs + """
            , {"class_name": "Merge", "name": "out", "config": {"name": "out", "mode": "cos", "mode_type": "raw", "dot_axes": [[1], [1]], "concat_axis": -1, "output_shape": null, "output_shape_type": "raw"},
               "inbound_nodes": [[["a", 0, 0], ["b", 0, 0]]]}
            """), KerasDialectKind.Keras1);
        var dot = DialectTranslator.Translate(g, KerasDialectKind.Keras2).GetLayer("out");
        Assert.Equal("Dot", dot.ClassName);
        Assert.Equal("[1,1]", dot.Config["axes"]!.ToJsonString());
        Assert.True(dot.Config["normalize"]!.GetValue<bool>());
        Assert.Equal(["a", "b"], dot.InboundNodes[0].Inputs.Select(t => t.Layer));
    }

    [Fact]
    public void Keras1_sequential_merge_of_branches_becomes_a_functional_graph_with_one_input_per_branch()
    {
        var g = Parse("""
            {"class_name": "Sequential", "config": [
              {"class_name": "Merge", "config": {"name": "merge_1", "mode": "concat", "concat_axis": -1, "layers": [
                 {"class_name": "Sequential", "config": [{"class_name": "Dense", "config": {"name": "d1", "output_dim": 2, "batch_input_shape": [null, 3], "input_dtype": "float32"}}]},
                 {"class_name": "Sequential", "config": [{"class_name": "Dense", "config": {"name": "d2", "output_dim": 2, "input_dim": 5}},
                                                         {"class_name": "Activation", "config": {"name": "act", "activation": "relu"}}]}]}},
              {"class_name": "Dense", "config": {"name": "d3", "output_dim": 1}}]}
            """, KerasDialectKind.Keras1);
        var k2 = DialectTranslator.Translate(g, KerasDialectKind.Keras2);
        Assert.Equal("Model", k2.ClassName);
        Assert.Equal(["d1_input", "d1", "d2_input", "d2", "act", "merge_1", "d3"], k2.Layers.Select(l => l.Name));
        Assert.Equal(["d1_input", "d2_input"], k2.Inputs.Select(t => t.Layer));
        Assert.Equal("d3", Assert.Single(k2.Outputs).Layer);
        Assert.Equal("[null,5]", k2.GetLayer("d2_input").Config["batch_input_shape"]!.ToJsonString());
        var merge = k2.GetLayer("merge_1");
        Assert.Equal("Concatenate", merge.ClassName);
        Assert.Equal(["d1", "act"], merge.InboundNodes[0].Inputs.Select(t => t.Layer));
        Assert.Equal("merge_1", Assert.Single(k2.GetLayer("d3").InboundNodes).Inputs[0].Layer);
        // The graph writes and reads back as an ordinary Keras 2 functional model.
        var reread = ModelConfigCodec.Parse(ModelConfigCodec.Write(k2), null, "2.0.0");
        Assert.Equal(k2.Layers.Select(l => l.Name), reread.Layers.Select(l => l.Name));
        Assert.Equal(KerasDialectKind.Keras2, reread.Metadata.Dialect);
    }

    [Theory]
    [InlineData("MaxoutDense", """{"name": "x", "output_dim": 4, "nb_feature": 2}""", "MaxoutDense")]
    [InlineData("BatchNormalization", """{"name": "x", "mode": 2, "axis": -1}""", "mode 2")]
    [InlineData("Merge", """{"name": "x", "mode": "lambda_fn", "mode_type": "function"}""", "mode_type function")]
    public void Keras1_layers_without_a_Keras2_equivalent_are_refused_by_name(string cls, string config, string mentioned)
    {
        var g = Parse(Functional(TwoInputs + $$""", {"class_name": "{{cls}}", "name": "out", "config": {{config}}, "inbound_nodes": [[["a", 0, 0], ["b", 0, 0]]]}"""), KerasDialectKind.Keras1);
        var e = Assert.Throws<UnsupportedFeatureException>(() => DialectTranslator.Translate(g, KerasDialectKind.Keras2));
        Assert.Contains("'out'", e.Message);
        Assert.Contains(mentioned, e.Message);
    }

    [Fact]
    public void Keras1_regularizer_and_constraint_dicts_become_Keras2_objects()
    {
        var g = Parse("""
            {"class_name": "Sequential", "config": [{"class_name": "Dense", "config": {"name": "d", "output_dim": 2, "input_dim": 3, "init": "glorot_uniform",
              "W_regularizer": {"name": "WeightRegularizer", "l1": 0.0, "l2": 0.01}, "W_constraint": {"name": "MaxNorm", "m": 2, "axis": 0}, "b_constraint": null, "bias": true}}]}
            """, KerasDialectKind.Keras1);
        var d = DialectTranslator.Translate(g, KerasDialectKind.Keras2).Layers[0].Config;
        Assert.Equal("""{"class_name":"L1L2","config":{"l1":0.0,"l2":0.01}}""", d["kernel_regularizer"]!.ToJsonString());
        Assert.Equal("""{"class_name":"MaxNorm","config":{"max_value":2,"axis":0}}""", d["kernel_constraint"]!.ToJsonString());
        Assert.Equal("[null,3]", d["batch_input_shape"]!.ToJsonString());
        Assert.Equal(2, d["units"]!.GetValue<int>());
    }

    [Fact]
    public void Keras2_sequential_shape_moves_to_an_explicit_InputLayer_in_Keras3_and_back()
    {
        var g = Parse("""
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "Dense", "config": {"name": "dense", "dtype": "float32", "batch_input_shape": [null, 12], "units": 4,
               "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "normal", "seed": null, "dtype": "float32"}}}}]}}
            """, KerasDialectKind.Keras2);
        var k3 = DialectTranslator.Translate(g, KerasDialectKind.Keras3);
        Assert.Equal(["dense_input", "dense"], k3.Layers.Select(l => l.Name));
        Assert.Equal("[null,12]", k3.Layers[0].Config["batch_shape"]!.ToJsonString());
        var dense = k3.Layers[1];
        Assert.False(dense.Config.ContainsKey("batch_input_shape"));
        Assert.Equal("""{"module":"keras","class_name":"DTypePolicy","config":{"name":"float32"},"registered_name":null}""", dense.Config["dtype"]!.ToJsonString());
        Assert.Equal("""{"module":"keras.initializers","class_name":"VarianceScaling","config":{"scale":1.0,"mode":"fan_avg","distribution":"truncated_normal","seed":null},"registered_name":null}""",
            dense.Config["kernel_initializer"]!.ToJsonString());
        Assert.Equal("keras.layers", dense.Extras["module"]!.GetValue<string>());

        var k2 = DialectTranslator.Translate(k3, KerasDialectKind.Keras2);
        Assert.Equal("[null,12]", k2.Layers[0].Config["batch_input_shape"]!.ToJsonString());
        Assert.Equal("float32", k2.Layers[1].Config["dtype"]!.GetValue<string>());
    }

    [Fact]
    public void Keras2_arguments_Keras3_lacks_are_dropped_and_each_lossy_drop_is_noted()
    {
        var g = Parse(Functional("""
            {"class_name": "InputLayer", "name": "a", "config": {"name": "a", "batch_input_shape": [null, 5], "dtype": "int32", "sparse": false, "ragged": false}, "inbound_nodes": []},
            {"class_name": "Embedding", "name": "e", "config": {"name": "e", "input_dim": 100, "output_dim": 8, "input_length": 5, "mask_zero": false}, "inbound_nodes": [[["a", 0, 0, {}]]]},
            {"class_name": "GRU", "name": "g", "config": {"name": "g", "units": 3, "time_major": true, "recurrent_activation": "hard_sigmoid", "implementation": 1}, "inbound_nodes": [[["e", 0, 0, {}]]]},
            {"class_name": "LeakyReLU", "name": "out", "config": {"name": "out", "alpha": 0.3}, "inbound_nodes": [[["g", 0, 0, {}]]]}
            """), KerasDialectKind.Keras2);
        var notes = new List<DialectNote>();
        var k3 = DialectTranslator.Translate(g, KerasDialectKind.Keras3, notes);
        Assert.Equal("Functional", k3.ClassName);
        Assert.False(k3.GetLayer("e").Config.ContainsKey("input_length"));
        var gru = k3.GetLayer("g").Config;
        Assert.False(gru.ContainsKey("time_major"));
        Assert.False(gru["reset_after"]!.GetValue<bool>());
        Assert.Equal(0.3, k3.GetLayer("out").Config["negative_slope"]!.GetValue<double>());
        Assert.Contains(notes, n => n.Layer == "g" && n.Message.Contains("time_major"));
        Assert.Contains(notes, n => n.Layer == "g" && n.Message.Contains("hard_sigmoid"));
        Assert.Contains(notes, n => n.Layer == "e" && n.Message.Contains("input_length"));
    }

    [Fact]
    public void Keras2_ThresholdedReLU_becomes_a_Keras3_ReLU_with_that_threshold_and_removed_layers_are_refused()
    {
        string model(string cls, string cfg) => Functional(TwoInputs + ", {\"class_name\": \"" + cls + "\", \"name\": \"out\", \"config\": " + cfg + ", \"inbound_nodes\": [[[\"a\", 0, 0, {}]]]}");
        var relu = DialectTranslator.Translate(Parse(model("ThresholdedReLU", """{"name": "out", "theta": 0.5}"""), KerasDialectKind.Keras2), KerasDialectKind.Keras3).GetLayer("out");
        Assert.Equal("ReLU", relu.ClassName);
        Assert.Equal(0.5, relu.Config["threshold"]!.GetValue<double>());
        Assert.Equal(0.0, relu.Config["negative_slope"]!.GetValue<double>());
        Assert.False(relu.Config.ContainsKey("theta"));
        var e = Assert.Throws<UnsupportedFeatureException>(() => DialectTranslator.Translate(
            Parse(model("CuDNNLSTM", """{"name": "out", "units": 3}"""), KerasDialectKind.Keras2), KerasDialectKind.Keras3));
        Assert.Contains("CuDNNLSTM", e.Message);
    }

    [Fact]
    public void Mixed_precision_policies_cross_both_ways()
    {
        var g = Parse("""
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "InputLayer", "config": {"name": "i", "batch_shape": [null, 2], "dtype": "float32", "sparse": false}},
              {"class_name": "Dense", "config": {"name": "d", "units": 1, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "mixed_float16"}, "registered_name": null}}}]}}
            """, KerasDialectKind.Keras3);
        var k2 = DialectTranslator.Translate(g, KerasDialectKind.Keras2);
        Assert.Equal("""{"class_name":"Policy","config":{"name":"mixed_float16"}}""", k2.GetLayer("d").Config["dtype"]!.ToJsonString());
        var k3 = DialectTranslator.Translate(k2, KerasDialectKind.Keras3);
        Assert.Equal("mixed_float16", k3.GetLayer("d").Config["dtype"]!["config"]!["name"]!.GetValue<string>());
        Assert.Equal("DTypePolicy", k3.GetLayer("d").Config["dtype"]!["class_name"]!.GetValue<string>());
    }

    [Fact]
    public void Keras3_tensor_call_arguments_become_Keras2_history_lists()
    {
        var g = Parse("""
            {"class_name": "Functional", "config": {"name": "m", "layers": [
              {"class_name": "InputLayer", "name": "a", "config": {"name": "a", "batch_shape": [null, 3, 4], "dtype": "float32"}, "inbound_nodes": []},
              {"class_name": "InputLayer", "name": "k", "config": {"name": "k", "batch_shape": [null, 3], "dtype": "bool"}, "inbound_nodes": []},
              {"class_name": "Attention", "name": "out", "config": {"name": "out", "use_scale": false, "score_mode": "dot", "dropout": 0.0, "seed": null},
               "inbound_nodes": [{"args": [[{"class_name": "__keras_tensor__", "config": {"shape": [null, 3, 4], "dtype": "float32", "keras_history": ["a", 0, 0]}},
                                            {"class_name": "__keras_tensor__", "config": {"shape": [null, 3, 4], "dtype": "float32", "keras_history": ["a", 0, 0]}}]],
                                  "kwargs": {"mask": [null, {"class_name": "__keras_tensor__", "config": {"shape": [null, 3], "dtype": "bool", "keras_history": ["k", 0, 0]}}]}}]}],
              "input_layers": [["a", 0, 0], ["k", 0, 0]], "output_layers": [["out", 0, 0]]}}
            """, KerasDialectKind.Keras3);
        var k2 = DialectTranslator.Translate(g, KerasDialectKind.Keras2);
        var att = k2.GetLayer("out");
        Assert.Equal("""{"mask":[null,["k",0,0]]}""", att.InboundNodes[0].Kwargs.ToJsonString());
        Assert.False(att.Config.ContainsKey("seed"));
        Assert.Null(att.RawInboundNodes);
    }

    [Fact]
    public void A_Keras2_tensor_call_argument_is_refused_for_Keras3_while_plain_arguments_pass()
    {
        string model(string kwargs) => Functional(TwoInputs + $$$"""
            , {"class_name": "Attention", "name": "out", "config": {"name": "out", "use_scale": false}, "inbound_nodes": [[["a", 0, 0, {{{kwargs}}}], ["b", 0, 0, {{{kwargs}}}]]]}
            """);
        var tensor = Parse(model("""
            {"mask": ["b", 0, 0]}
            """), KerasDialectKind.Keras2);
        var e = Assert.Throws<UnsupportedFeatureException>(() => DialectTranslator.Translate(tensor, KerasDialectKind.Keras3));
        Assert.Contains("'mask'", e.Message);
        var plain = Parse(model("""
            {"training": false, "axes": ["x", 0, 0]}
            """), KerasDialectKind.Keras2);
        Assert.Equal("Functional", DialectTranslator.Translate(plain, KerasDialectKind.Keras3).ClassName);
    }

    [Fact]
    public void Training_config_and_compile_config_convert_both_ways()
    {
        var training = JsonNode.Parse("""
            {"loss": {"class_name": "BinaryCrossentropy", "config": {"reduction": "auto", "name": "binary_crossentropy", "from_logits": false, "label_smoothing": 0.0, "axis": -1, "fn": "binary_crossentropy"}},
             "metrics": [[{"class_name": "MeanMetricWrapper", "config": {"name": "accuracy", "dtype": "float32", "fn": "binary_accuracy"}}]],
             "weighted_metrics": null, "loss_weights": null, "sample_weight_mode": null,
             "optimizer_config": {"class_name": "Custom>Adam", "config": {"name": "Adam", "lr": 0.001, "decay": 0.01, "jit_compile": false, "is_legacy_optimizer": false, "beta_1": 0.9}}}
            """)!.AsObject();
        var notes = new List<DialectNote>();
        var compile = TrainingConfigConversion.ToCompileConfig(training, notes);
        var opt = compile["optimizer"]!.AsObject();
        Assert.Equal("keras.optimizers", opt["module"]!.GetValue<string>());
        Assert.Equal("Adam", opt["class_name"]!.GetValue<string>());
        Assert.Equal("""{"name":"Adam","learning_rate":0.001,"beta_1":0.9}""", opt["config"]!.ToJsonString());
        Assert.Contains(notes, n => n.Message.Contains("decay"));
        Assert.Equal("sum_over_batch_size", compile["loss"]!["config"]!["reduction"]!.GetValue<string>());
        Assert.False(compile["loss"]!["config"]!.AsObject().ContainsKey("fn"));
        Assert.Equal("""["accuracy"]""", compile["metrics"]!.ToJsonString());
        Assert.False(compile.ContainsKey("sample_weight_mode"));

        var back = TrainingConfigConversion.ToTrainingConfig(compile, notes);
        Assert.Equal("""{"class_name":"Adam","config":{"name":"Adam","learning_rate":0.001,"beta_1":0.9}}""", back["optimizer_config"]!.ToJsonString());
        Assert.False(back["loss"]!.AsObject().ContainsKey("module"));
    }

    [Fact]
    public void Translation_to_Keras1_is_refused_and_same_dialect_gives_an_independent_copy()
    {
        var g = Parse("""{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Dense", "config": {"name": "d", "units": 1}}]}}""", KerasDialectKind.Keras2);
        Assert.Throws<UnsupportedFeatureException>(() => DialectTranslator.Translate(g, KerasDialectKind.Keras1));
        var copy = DialectTranslator.Translate(g, KerasDialectKind.Keras2);
        copy.Layers[0].Config["units"] = 7;
        Assert.Equal(1, g.Layers[0].Config["units"]!.GetValue<int>());
    }
}
