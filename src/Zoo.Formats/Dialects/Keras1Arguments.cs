using System.Text.Json.Nodes;
using static Zoo.Formats.Dialects.Keras1LayerNames;

namespace Zoo.Formats.Dialects;

/// <summary>
/// Keras 1 → Keras 2 argument renames per layer family, value conversions (<c>dim_ordering</c>,
/// <c>consume_less</c>), kernel sizes, and Keras 1's regularizer/constraint dicts.
/// </summary>
internal static class Keras1Arguments
{
    private static readonly (string From, string To)[] KernelWeights =
    {
        ("init", "kernel_initializer"), ("W_regularizer", "kernel_regularizer"), ("b_regularizer", "bias_regularizer"),
        ("W_constraint", "kernel_constraint"), ("b_constraint", "bias_constraint"), ("bias", "use_bias"),
    };

    private static readonly (string From, string To)[] ConvCommon =
    {
        ("nb_filter", "filters"), ("subsample", "strides"), ("border_mode", "padding"), ("dim_ordering", "data_format"),
        ("atrous_rate", "dilation_rate"),
    };

    private static readonly (string From, string To)[] RecurrentCommon =
    {
        ("output_dim", "units"), ("init", "kernel_initializer"), ("inner_init", "recurrent_initializer"),
        ("inner_activation", "recurrent_activation"), ("W_regularizer", "kernel_regularizer"), ("b_regularizer", "bias_regularizer"),
        ("U_regularizer", "recurrent_regularizer"), ("dropout_W", "dropout"), ("dropout_U", "recurrent_dropout"),
        ("consume_less", "implementation"), ("W_constraint", "kernel_constraint"), ("U_constraint", "recurrent_constraint"),
        ("b_constraint", "bias_constraint"), ("bias", "use_bias"),
    };

    private static readonly Dictionary<Family, (string From, string To)[]> Renames = new()
    {
        [Family.Dense] = [("output_dim", "units"), .. KernelWeights],
        [Family.Conv1D] = [("nb_filter", "filters"), ("filter_length", "kernel_size"), ("subsample_length", "strides"), ("border_mode", "padding"), ("atrous_rate", "dilation_rate"), .. KernelWeights],
        [Family.Conv] = [.. ConvCommon, .. KernelWeights],
        [Family.SeparableConv] = [.. ConvCommon, ("b_regularizer", "bias_regularizer"), ("b_constraint", "bias_constraint"), ("bias", "use_bias")],
        [Family.Recurrent] = RecurrentCommon,
        [Family.ConvLstm] = [.. ConvCommon, .. RecurrentCommon],
        [Family.Embedding] = [("init", "embeddings_initializer"), ("W_regularizer", "embeddings_regularizer"), ("W_constraint", "embeddings_constraint")],
        [Family.Dropout] = [("p", "rate")],
        [Family.SpatialDropoutNd] = [("p", "rate"), ("dim_ordering", "data_format")],
        [Family.GaussianNoise] = [("sigma", "stddev")],
        [Family.Pooling1D] = [("pool_length", "pool_size"), ("stride", "strides"), ("border_mode", "padding")],
        [Family.PoolingNd] = [("border_mode", "padding"), ("dim_ordering", "data_format")],
        [Family.GlobalPooling] = [("dim_ordering", "data_format")],
        [Family.UpSampling1D] = [("length", "size")],
        [Family.DataFormatOnly] = [("dim_ordering", "data_format")],
        [Family.ZeroPadding2D] = [("dim_ordering", "data_format")],
        [Family.PRelu] = [("init", "alpha_initializer")],
        [Family.BatchNorm] = [("beta_init", "beta_initializer"), ("gamma_init", "gamma_initializer")],
    };

    /// <summary>Applies the renames and value conversions of <paramref name="family"/> to a layer config in place.</summary>
    public static void Apply(string layer, Family family, JsonObject config, List<DialectNote> notes)
    {
        KerasObjects.Rename(config, "input_dtype", "dtype");
        if (family == Family.SeparableConv && config["init"] is { } init)
        {
            config.Remove("init");
            config["depthwise_initializer"] = init.DeepClone();
            config["pointwise_initializer"] = init;
        }
        if (family is Family.Conv or Family.SeparableConv or Family.ConvLstm) KernelSize(config, layer);
        if (family == Family.Conv) config.Remove("output_shape"); // Deconvolution2D: Keras 2 infers it.
        if (family is Family.Recurrent or Family.ConvLstm) ForgetBias(layer, config, notes);
        if (family == Family.Embedding && config.Remove("dropout"))
            notes.Add(new(layer, "dropped Embedding 'dropout': Keras 2 removed it (a SpatialDropout1D after the layer does the same)"));
        if (family == Family.BatchNorm) BatchNormMode(layer, config);
        if (family == Family.ZeroPadding2D) PaddingDict(config);
        if (Renames.TryGetValue(family, out var table))
            foreach (var (from, to) in table) KerasObjects.Rename(config, from, to);
        if (config["data_format"] is JsonValue df) config["data_format"] = DataFormat(KerasObjects.Str(df), layer);
        if (config["implementation"] is JsonValue impl && KerasObjects.Str(impl) is { } mode)
            config["implementation"] = mode switch { "cpu" => 0, "mem" => 1, "gpu" => 2, _ => throw Bad(layer, "consume_less", mode) };
        foreach (var key in config.Select(kv => kv.Key).ToList())
            if (KerasObjects.ModuleForKey(key) is not null || key == "activity_regularizer") config[key] = ObjectDict(config[key]);
    }

    /// <summary>Keras 1's dim_ordering value → Keras 2's data_format value ("default" meant the user's keras.json: null).</summary>
    private static JsonNode? DataFormat(string? value, string layer) => value switch
    {
        "tf" => "channels_last",
        "th" => "channels_first",
        "default" or null => null,
        "channels_last" or "channels_first" => value,
        _ => throw Bad(layer, "dim_ordering", value),
    };

    private static void KernelSize(JsonObject config, string layer)
    {
        string[] keys = config.ContainsKey("kernel_dim1") ? ["kernel_dim1", "kernel_dim2", "kernel_dim3"] : ["nb_row", "nb_col"];
        if (!keys.All(config.ContainsKey)) return;
        var size = new JsonArray();
        foreach (var k in keys) { size.Add(config[k]?.DeepClone()); }
        var members = config.ToList();
        config.Clear();
        bool placed = false;
        foreach (var (k, v) in members)
        {
            if (keys.Contains(k))
            {
                if (!placed) config["kernel_size"] = size;
                placed = true;
                continue;
            }
            config[k] = v?.DeepClone();
        }
        if (config["border_mode"] is JsonValue bm && KerasObjects.Str(bm) == "full")
            throw new UnsupportedFeatureException($"layer '{layer}': border_mode 'full' (Theano-only) has no Keras 2 equivalent", objectPath: layer);
    }

    private static void ForgetBias(string layer, JsonObject config, List<DialectNote> notes)
    {
        if (config["forget_bias_init"] is not { } fbi) return;
        config.Remove("forget_bias_init");
        if (KerasObjects.Str(fbi) == "one") config["unit_forget_bias"] = true;
        else notes.Add(new(layer, $"dropped forget_bias_init '{fbi.ToJsonString()}': Keras 2 only knows unit_forget_bias (ones)"));
    }

    private static void BatchNormMode(string layer, JsonObject config)
    {
        if (config["mode"] is not { } mode) return;
        if (mode is JsonValue v && v.TryGetValue(out int m) && m == 0) { config.Remove("mode"); return; }
        throw new UnsupportedFeatureException(
            $"layer '{layer}': BatchNormalization mode {mode.ToJsonString()} (per-sample or feature-wise at test time) was removed in Keras 2; only mode 0 translates",
            objectPath: layer);
    }

    private static void PaddingDict(JsonObject config)
    {
        if (config["padding"] is not JsonObject pad) return;
        long get(string k) => pad[k] is JsonValue v && v.TryGetValue(out long n) ? n : 0;
        config["padding"] = new JsonArray(new JsonArray(get("top_pad"), get("bottom_pad")), new JsonArray(get("left_pad"), get("right_pad")));
    }

    /// <summary>Keras 1's <c>{"name": "WeightRegularizer", "l2": …}</c> / <c>{"name": "MaxNorm", "m": …}</c> → Keras 2's <c>{"class_name", "config"}</c>.</summary>
    private static JsonNode? ObjectDict(JsonNode? node)
    {
        if (node is not JsonObject o || o.ContainsKey("class_name") || KerasObjects.Str(o["name"]) is not { } name) return node;
        var cls = name is "WeightRegularizer" or "ActivityRegularizer" ? "L1L2" : name;
        var cfg = new JsonObject();
        foreach (var (k, v) in o)
            if (k != "name") cfg[k == "m" ? "max_value" : k] = v?.DeepClone();
        return new JsonObject { ["class_name"] = cls, ["config"] = cfg };
    }

    private static ModelFormatException Bad(string layer, string key, string? value)
        => new($"layer '{layer}': Keras 1 argument '{key}' has value '{value}', expected one Keras 1 wrote", objectPath: layer);
}
