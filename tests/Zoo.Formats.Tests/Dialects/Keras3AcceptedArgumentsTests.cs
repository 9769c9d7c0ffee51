using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Dialects;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Dialects.Support;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.Dialects;

public class Keras3AcceptedArgumentsTests
{
    // Keras 3's Layer.__init__: what every layer accepts besides its own arguments (input_dim and
    // input_shape are popped; anything else left over raises "Unrecognized keyword arguments").
    private static readonly string[] Base = ["name", "trainable", "dtype", "autocast", "activity_regularizer", "input_dim", "input_shape"];
    private static readonly string[] ConvArgs = ["filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint", "lora_rank", "lora_alpha"];
    private static readonly string[] PoolArgs = ["pool_size", "strides", "padding", "data_format"];
    private static readonly string[] RnnArgs = ["units", "activation", "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "seed", "return_sequences", "return_state", "go_backwards", "stateful", "unroll", "zero_output_for_mask", "implementation", "use_cudnn"];

    /// <summary>
    /// Arguments Keras 3's from_config accepts per layer, read from the <c>__init__</c> signatures in
    /// keras/src/layers (keras-team/keras master, 2026-08) including what their bases take through
    /// <c>**kwargs</c>, minus what a subclass fixes itself (<c>rank</c>, <c>pool_mode</c>, <c>cell</c>).
    /// </summary>
    private static readonly Dictionary<string, string[]> Accepted = new()
    {
        ["InputLayer"] = ["shape", "batch_size", "dtype", "sparse", "ragged", "batch_shape", "input_tensor", "optional", "name", "input_shape", "batch_input_shape"],
        ["Dense"] = [.. Base, "units", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint", "lora_rank", "lora_alpha", "quantization_config"],
        ["Conv1D"] = [.. Base, .. ConvArgs],
        ["Conv2D"] = [.. Base, .. ConvArgs],
        ["Conv3D"] = [.. Base, .. ConvArgs],
        ["Conv2DTranspose"] = [.. Base, "filters", "kernel_size", "strides", "padding", "output_padding", "data_format", "dilation_rate", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint"],
        ["SeparableConv2D"] = [.. Base, "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "depth_multiplier", "activation", "use_bias", "depthwise_initializer", "pointwise_initializer", "bias_initializer", "depthwise_regularizer", "pointwise_regularizer", "bias_regularizer", "depthwise_constraint", "pointwise_constraint", "bias_constraint"],
        ["DepthwiseConv2D"] = [.. Base, "kernel_size", "strides", "padding", "data_format", "dilation_rate", "depth_multiplier", "activation", "use_bias", "depthwise_initializer", "bias_initializer", "depthwise_regularizer", "bias_regularizer", "depthwise_constraint", "bias_constraint"],
        ["MaxPooling1D"] = [.. Base, .. PoolArgs],
        ["MaxPooling2D"] = [.. Base, .. PoolArgs],
        ["AveragePooling1D"] = [.. Base, .. PoolArgs],
        ["AveragePooling2D"] = [.. Base, .. PoolArgs],
        ["GlobalAveragePooling1D"] = [.. Base, "data_format", "keepdims"],
        ["GlobalAveragePooling2D"] = [.. Base, "data_format", "keepdims"],
        ["GlobalMaxPooling2D"] = [.. Base, "data_format", "keepdims"],
        ["BatchNormalization"] = [.. Base, "axis", "momentum", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer", "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint", "renorm", "renorm_clipping", "renorm_momentum", "synchronized"],
        ["Dropout"] = [.. Base, "rate", "noise_shape", "seed"],
        ["SpatialDropout1D"] = ["rate", "seed", "name", "dtype"],
        ["SpatialDropout2D"] = ["rate", "data_format", "seed", "name", "dtype"],
        ["Flatten"] = [.. Base, "data_format"],
        ["Activation"] = [.. Base, "activation"],
        ["Reshape"] = [.. Base, "target_shape"],
        ["RepeatVector"] = [.. Base, "n"],
        ["ZeroPadding2D"] = [.. Base, "padding", "data_format"],
        ["Cropping2D"] = [.. Base, "cropping", "data_format"],
        ["UpSampling2D"] = [.. Base, "size", "data_format", "interpolation"],
        ["LSTM"] = [.. Base, .. RnnArgs, "unit_forget_bias"],
        ["GRU"] = [.. Base, .. RnnArgs, "reset_after"],
        ["SimpleRNN"] = [.. Base, .. RnnArgs.Where(a => a is not ("recurrent_activation" or "implementation" or "use_cudnn"))],
        ["Bidirectional"] = [.. Base, "layer", "merge_mode", "weights", "backward_layer"],
        ["TimeDistributed"] = [.. Base, "layer"],
        ["Embedding"] = [.. Base, "input_dim", "output_dim", "embeddings_initializer", "embeddings_regularizer", "embeddings_constraint", "mask_zero", "weights", "lora_rank", "lora_alpha", "quantization_config"],
        ["Add"] = Base, ["Multiply"] = Base, ["Average"] = Base, ["Maximum"] = Base, ["Subtract"] = Base,
        ["Concatenate"] = [.. Base, "axis"],
        ["Dot"] = [.. Base, "axes", "normalize"],
        ["LeakyReLU"] = [.. Base, "negative_slope"],
        ["PReLU"] = [.. Base, "alpha_initializer", "alpha_regularizer", "alpha_constraint", "shared_axes"],
        ["ReLU"] = [.. Base, "max_value", "negative_slope", "threshold"],
        ["Softmax"] = [.. Base, "axis"],
        ["Attention"] = [.. Base, "use_scale", "score_mode", "dropout", "seed"],
        ["LayerNormalization"] = [.. Base, "axis", "epsilon", "center", "scale", "rms_scaling", "beta_initializer", "gamma_initializer", "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"],
    };

    /// <summary>Keras 1 and Keras 2 fixtures: what a user would bring to Keras 3.</summary>
    public static IEnumerable<object[]> OlderFixtures()
    {
        var rows = Fixtures.Manifest().Where(r => ConfigFixtures.Kinds.Contains(r.Kind) && r.KerasVersion[0] is '1' or '2')
            .Select(r => new object[] { r.LocalPath }).ToList();
        if (rows.Count == 0) rows.Add(["(fixtures absent)"]);
        return rows;
    }

    /// <summary>Every (class, config) in a graph, wrapped layers included.</summary>
    private static IEnumerable<(string Class, string Name, JsonObject Config)> LayerConfigs(ModelGraph g)
    {
        foreach (var l in g.Layers)
        {
            if (l.Nested is not null) { foreach (var x in LayerConfigs(l.Nested)) yield return x; continue; }
            yield return (l.ClassName, l.Name, l.Config);
            foreach (var key in new[] { "layer", "backward_layer" })
                if (l.Config[key] is JsonObject inner && inner["config"] is JsonObject ic)
                    yield return (inner["class_name"]!.GetValue<string>(), l.Name + "/" + key, ic);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(OlderFixtures))]
    public void Keras2_to_Keras3_output_uses_only_arguments_Keras3_layers_accept(string localPath)
    {
        var (config, version) = ConfigFixtures.Load(localPath);
        var source = ModelConfigCodec.Parse(config, localPath, version);
        var notes = new List<DialectNote>();
        var k3 = DialectTranslator.Translate(source, KerasDialectKind.Keras3, notes);
        int checkedLayers = 0;
        var refused = new List<string>();
        foreach (var (cls, name, cfg) in LayerConfigs(k3))
        {
            if (!Accepted.TryGetValue(cls, out var accepted)) continue;
            checkedLayers++;
            refused.AddRange(cfg.Select(kv => kv.Key).Where(k => !accepted.Contains(k)).Select(k => $"{name} ({cls}): {k}"));
        }
        Assert.True(refused.Count == 0, "Keras 3 would refuse: " + string.Join(", ", refused));
        Assert.True(checkedLayers > 0, "no layer of a class in the table");
        Assert.Equal(KerasDialectKind.Keras3, KerasDialect.Detect(ModelConfigCodec.Write(k3), null));
    }

    [SkippableFact]
    public void The_table_refuses_what_untranslated_Keras2_fixture_configs_carry()
    {
        Fixtures.Require();
        var refused = new HashSet<string>();
        foreach (var row in OlderFixtures().Select(r => (string)r[0]))
        {
            var (config, version) = ConfigFixtures.Load(row);
            var g = ModelConfigCodec.Parse(config, row, version);
            if (g.Metadata.Dialect != KerasDialectKind.Keras2) continue;
            foreach (var (cls, _, cfg) in LayerConfigs(g))
                if (Accepted.TryGetValue(cls, out var accepted))
                    refused.UnionWith(cfg.Select(kv => kv.Key).Where(k => !accepted.Contains(k)));
        }
        // So the translation test above can fail: these are what tf.keras wrote and Keras 3 refuses.
        Assert.Contains("batch_input_shape", refused);
        Assert.Contains("time_major", refused);
        Assert.Contains("input_length", refused);
        Assert.Contains("alpha", refused);
    }

    [SkippableTheory]
    [MemberData(nameof(OlderFixtures))]
    public void Keras2_to_Keras3_output_wraps_objects_and_dtypes_the_way_Keras3_writes_them(string localPath)
    {
        var (config, version) = ConfigFixtures.Load(localPath);
        var k3 = DialectTranslator.Translate(ModelConfigCodec.Parse(config, localPath, version), KerasDialectKind.Keras3);
        foreach (var (cls, name, cfg) in LayerConfigs(k3))
        {
            if (cls == "InputLayer")
            {
                Assert.False(cfg.ContainsKey("batch_input_shape"), name);
                continue;
            }
            Assert.False(cfg.ContainsKey("batch_input_shape"), name);
            if (cfg["dtype"] is { } dtype) Assert.Equal("DTypePolicy", dtype["class_name"]!.GetValue<string>());
            foreach (var (key, value) in cfg)
                if (key.EndsWith("_initializer") && value is JsonObject obj)
                    Assert.True(obj.ContainsKey("module") && obj.ContainsKey("registered_name"), $"{name}.{key} has no envelope");
        }
        if (k3.IsSequential && config.ToJsonString().Contains("batch_input_shape"))
            Assert.Equal("InputLayer", k3.Layers[0].ClassName);
    }
}
