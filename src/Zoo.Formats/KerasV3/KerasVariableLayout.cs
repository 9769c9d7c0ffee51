using System.Text.Json.Nodes;

namespace Zoo.Formats.KerasV3;

/// <summary>
/// What Keras 3 stores for the layer classes whose variables Zoo knows: their order
/// (<c>_trainable_variables + _non_trainable_variables</c>), the sub-objects that own them (an RNN's
/// <c>cell</c>, Bidirectional's <c>forward_layer</c>/<c>backward_layer</c>, a wrapper's <c>layer</c>) and
/// the shapes the config implies. Unknown classes give null: any variables are accepted as <c>vars/i</c>.
/// </summary>
internal static class KerasVariableLayout
{
    private static readonly HashSet<string> Weightless = new(StringComparer.Ordinal)
    {
        "InputLayer", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
        "GaussianDropout", "AlphaDropout", "Flatten", "Reshape", "Permute", "RepeatVector", "Activation", "ReLU",
        "LeakyReLU", "ELU", "Softmax", "ThresholdedReLU", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
        "AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
        "GlobalMaxPooling3D", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
        "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D",
        "UpSampling1D", "UpSampling2D", "UpSampling3D", "Add", "Subtract", "Multiply", "Average", "Maximum",
        "Minimum", "Concatenate", "Dot", "Masking", "ActivityRegularization", "Identity",
    };

    /// <summary>Cell sub-object name Keras gives each recurrent layer's cell.</summary>
    private static readonly Dictionary<string, (string Cell, int Gates)> Recurrent = new(StringComparer.Ordinal)
    {
        ["LSTM"] = ("lstm_cell", 4),
        ["GRU"] = ("gru_cell", 3),
        ["SimpleRNN"] = ("simple_rnn_cell", 1),
    };

    private static readonly string[] WithVariables =
    {
        "Dense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
        "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D", "BatchNormalization",
        "LayerNormalization", "Embedding", "PReLU", "Bidirectional", "TimeDistributed", "Sequential", "Functional",
    };

    private static readonly Lazy<Dictionary<string, string>> BySnakeName = new(() =>
        Weightless.Concat(Recurrent.Keys).Concat(WithVariables)
            .ToDictionary(KerasObjectNames.ToSnakeCase, c => c, StringComparer.Ordinal));

    /// <summary>
    /// The known class whose object name Keras would derive as <paramref name="objectName"/>
    /// (<c>dense_3</c> → <c>Dense</c>); null when none is known.
    /// </summary>
    public static string? GuessClass(string objectName)
    {
        if (BySnakeName.Value.TryGetValue(objectName, out var c)) return c;
        int us = objectName.LastIndexOf('_');
        return us > 0 && objectName[(us + 1)..].All(char.IsAsciiDigit) && objectName.Length > us + 1
            ? BySnakeName.Value.GetValueOrDefault(objectName[..us])
            : null;
    }

    /// <summary>The slots of a layer of <paramref name="className"/> with <paramref name="config"/>; null when unknown.</summary>
    public static IReadOnlyList<VariableSlot>? Slots(string className, JsonObject config)
    {
        if (IsQuantized(config)) return null;
        if (Weightless.Contains(className)) return Array.Empty<VariableSlot>();
        if (Recurrent.TryGetValue(className, out var rnn)) return RecurrentSlots(config, rnn.Cell, rnn.Gates, className == "GRU");
        return className switch
        {
            "Dense" => Own(("kernel", Dims(null, Int(config, "units"))), Bias(config, Int(config, "units"))),
            "Conv1D" or "Conv2D" or "Conv3D" => ConvSlots(config, className, transpose: false),
            "Conv1DTranspose" or "Conv2DTranspose" or "Conv3DTranspose" => ConvSlots(config, className, transpose: true),
            "DepthwiseConv1D" or "DepthwiseConv2D" => Own(
                ("depthwise_kernel", Dims(KernelSize(config, className).Append(null).Append(Int(config, "depth_multiplier") ?? 1).ToArray())),
                Bias(config, null)),
            "SeparableConv1D" or "SeparableConv2D" => Own(
                ("depthwise_kernel", Dims(KernelSize(config, className).Append(null).Append(Int(config, "depth_multiplier") ?? 1).ToArray())),
                ("pointwise_kernel", Dims(Enumerable.Repeat<long?>(1, Rank(className)).Append(null).Append(Int(config, "filters")).ToArray())),
                Bias(config, Int(config, "filters"))),
            "BatchNormalization" or "LayerNormalization" => NormalizationSlots(config, className),
            // Mean and variance given in the config make the layer weightless; adapt() state is mean, variance, count.
            "Normalization" => config["mean"] is not null ? Array.Empty<VariableSlot>() : Own(("mean", null), ("variance", null), ("count", Dims())),
            "Embedding" => Own(("embeddings", Dims(Int(config, "input_dim"), Int(config, "output_dim")))),
            "PReLU" => Own(("alpha", null)),
            "Bidirectional" => BidirectionalSlots(config),
            "TimeDistributed" => InnerSlots(config, "layer")?.Select(s => s with { ObjectPath = $"layer/{s.ObjectPath}" }).ToList(),
            _ => null,
        };
    }

    private static IReadOnlyList<VariableSlot>? BidirectionalSlots(JsonObject config)
    {
        var forward = InnerSlots(config, "layer");
        var backward = config["backward_layer"] is JsonObject ? InnerSlots(config, "backward_layer") : forward;
        if (forward is null || backward is null) return null;
        var innerName = Str(config["layer"]?["config"], "name") ?? "layer";
        var backwardName = Str(config["backward_layer"]?["config"], "name") ?? $"backward_{innerName}";
        return forward.Select(s => s.Under("forward_layer", $"forward_{innerName}"))
            .Concat(backward.Select(s => s.Under("backward_layer", backwardName))).ToList();
    }

    private static IReadOnlyList<VariableSlot>? InnerSlots(JsonObject config, string key)
        => config[key] is JsonObject inner && Str(inner, "class_name") is string c && inner["config"] is JsonObject ic
            ? Slots(c, ic)
            : null;

    private static IReadOnlyList<VariableSlot> RecurrentSlots(JsonObject config, string cell, int gates, bool isGru)
    {
        long? units = Int(config, "units");
        long? width = units * gates;
        long?[]? bias = isGru switch
        {
            true when Bool(config, "reset_after") is bool resetAfter => resetAfter ? Dims(2, width) : Dims(width),
            true => null,
            false => Dims(width),
        };
        var slots = new List<(string, long?[]?)> { ("kernel", Dims(null, width)), ("recurrent_kernel", Dims(units, width)) };
        if (Bool(config, "use_bias") ?? true) slots.Add(("bias", bias));
        return slots.Select((s, i) => new VariableSlot($"cell/vars/{i}", $"{cell}/{s.Item1}", s.Item2)).ToList();
    }

    private static IReadOnlyList<VariableSlot> ConvSlots(JsonObject config, string className, bool transpose)
    {
        var kernel = KernelSize(config, className);
        long? filters = Int(config, "filters");
        var dims = transpose ? kernel.Append(filters).Append(null) : kernel.Append(null).Append(filters);
        return Own(("kernel", Dims(dims.ToArray())), Bias(config, filters));
    }

    private static IReadOnlyList<VariableSlot> NormalizationSlots(JsonObject config, string className)
    {
        var names = new List<(string, long?[]?)?>();
        if (Bool(config, "scale") ?? true) names.Add(("gamma", null));
        if (Bool(config, "center") ?? true) names.Add(("beta", null));
        if (className == "BatchNormalization") { names.Add(("moving_mean", null)); names.Add(("moving_variance", null)); }
        // tf.keras 2.x batch renormalization (Keras 3 has none) keeps three more non-trainable variables.
        if (className == "BatchNormalization" && (Bool(config, "renorm") ?? false)) { names.Add(("moving_stddev", null)); names.Add(("renorm_mean", null)); names.Add(("renorm_stddev", null)); }
        return Own(names.ToArray());
    }

    private static (string, long?[]?)? Bias(JsonObject config, long? units)
        => (Bool(config, "use_bias") ?? true) ? ("bias", Dims(units)) : null;

    private static IReadOnlyList<VariableSlot> Own(params (string Name, long?[]? Shape)?[] slots)
        => slots.Where(s => s is not null).Select((s, i) => new VariableSlot($"vars/{i}", s!.Value.Name, s.Value.Shape)).ToList();

    private static long?[] Dims(params long?[] dims) => dims;

    private static int Rank(string className) => className.Contains("1D") ? 1 : className.Contains("3D") ? 3 : 2;

    private static long?[] KernelSize(JsonObject config, string className)
    {
        var node = config["kernel_size"];
        if (node is JsonArray a) return a.Select(Long).ToArray();
        long? k = Long(node);
        return Enumerable.Repeat(k, Rank(className)).ToArray();
    }

    private static bool IsQuantized(JsonObject config)
        => config["dtype"] is JsonObject policy && Str(policy, "class_name") is string c
           && c.Contains("Quantiz", StringComparison.Ordinal);

    /// <summary>A string member of a JSON object; null when absent or not a string.</summary>
    public static string? Str(JsonNode? node, string key)
        => node is JsonObject o && o[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static long? Int(JsonObject config, string key) => Long(config[key]);

    /// <summary>An integral JSON number however it was made (parsed text, or an int/long/double set in code).</summary>
    private static long? Long(JsonNode? node)
    {
        if (node is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.Number) return null;
        var text = v.ToJsonString();
        if (long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long n)) return n;
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d)
               && d == Math.Floor(d) && Math.Abs(d) < 1e15 ? (long)d : null;
    }

    private static bool? Bool(JsonObject config, string key)
        => config[key] is JsonValue v && v.TryGetValue(out bool b) ? b : null;
}
