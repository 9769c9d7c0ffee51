using System.Text.Json.Nodes;
using Zoo.Formats.Ir;
using static Zoo.Formats.Dialects.Keras1LayerNames;

namespace Zoo.Formats.Dialects;

/// <summary>
/// Rewrites a Keras 1 graph's layer configs the way Keras 2.0's legacy interfaces would have read
/// them: Keras 2 class names, argument names and values. Weight names stay as stored.
/// </summary>
internal static class Keras1ToKeras2
{
    private static readonly HashSet<string> ShapeFromInputDim = ["Dense", "LSTM", "GRU", "SimpleRNN", "Conv1D", "TimeDistributed", "Bidirectional"];

    /// <summary>Translates every layer of <paramref name="g"/> (and its nested graphs) in place.</summary>
    public static void Apply(ModelGraph g, List<DialectNote> notes)
    {
        if (Keras1SequentialMerge.Applies(g)) Keras1SequentialMerge.Apply(g);
        for (int i = 0; i < g.Layers.Count; i++)
        {
            var layer = g.Layers[i];
            if (layer.Nested is not null) { Apply(layer.Nested, notes); continue; }
            (layer.ClassName, layer.Config) = TranslateLayer(layer.ClassName, layer.Name, layer.Config, g.IsSequential, notes);
            Keras1Weights.Convert(layer, layer.ClassName, (layer.Config["data_format"] as System.Text.Json.Nodes.JsonValue)?.ToString() == "channels_first");
            InputShape(layer, firstOfSequential: g.IsSequential && i == 0);
        }
    }

    /// <summary>Translates one layer's class and config (wrappers' inner layers too).</summary>
    private static (string, JsonObject) TranslateLayer(string cls, string name, JsonObject config, bool inSequential, List<DialectNote> notes)
    {
        if (Unsupported.TryGetValue(cls, out var why))
            throw new UnsupportedFeatureException($"layer '{name}': Keras 1 {cls} cannot be read as Keras 2: {why}", objectPath: name);
        if (cls == "Merge") return Merge(name, config, inSequential);
        var (newClass, family) = Table.TryGetValue(cls, out var entry) ? entry : (cls, Family.DataFormatOnly);
        Keras1Arguments.Apply(name, family, config, notes);
        foreach (var key in new[] { "layer", "backward_layer" })
        {
            if (!KerasObjects.IsSerialized(config[key], out var inner) || inner["config"] is not JsonObject innerConfig) continue;
            var innerName = KerasObjects.Str(innerConfig["name"]) ?? name + "/" + key;
            var (innerClass, translated) = TranslateLayer(KerasObjects.ClassName(inner)!, innerName, innerConfig, false, notes);
            inner["class_name"] = innerClass;
            if (!ReferenceEquals(translated, innerConfig)) inner["config"] = translated;
        }
        return (newClass, config);
    }

    /// <summary>Keras 1 Merge in a functional graph → Add, Multiply, Concatenate, Average, Maximum or Dot.</summary>
    private static (string, JsonObject) Merge(string name, JsonObject config, bool inSequential)
    {
        if (inSequential || config["layers"] is JsonArray)
            throw new UnsupportedFeatureException(
                $"layer '{name}': a Keras 1 Merge inside a Sequential model must be its first layer and merge Sequential branches", objectPath: name);
        var mode = KerasObjects.Str(config["mode"]);
        var modeType = KerasObjects.Str(config["mode_type"]);
        if (mode is null || modeType is not (null or "raw") || !MergeModes.TryGetValue(mode, out var cls))
            throw new UnsupportedFeatureException(
                $"layer '{name}': Keras 1 Merge mode {config["mode"]?.ToJsonString() ?? "null"} (mode_type {modeType ?? "null"}); only sum, mul, concat, ave, max, dot and cos translate to Keras 2 merge layers",
                objectPath: name);
        var result = new JsonObject { ["name"] = name, ["trainable"] = config["trainable"]?.DeepClone() ?? true };
        if (cls == "Concatenate") result["axis"] = config["concat_axis"]?.DeepClone() ?? -1;
        if (cls == "Dot")
        {
            result["axes"] = DotAxes(config["dot_axes"]);
            result["normalize"] = mode == "cos";
        }
        return (cls, result);
    }

    private static JsonNode DotAxes(JsonNode? axes) => axes switch
    {
        null => -1,
        // Keras 1 wrote pairs as [[a], [b]]; Keras 2 takes [a, b].
        JsonArray { Count: 2 } a when a[0] is JsonArray { Count: 1 } x && a[1] is JsonArray { Count: 1 } y => new JsonArray(x[0]?.DeepClone(), y[0]?.DeepClone()),
        _ => axes.DeepClone(),
    };

    /// <summary>
    /// Keras 1 layers carried input_dim/input_length; Keras 2 turned them into the first layer's input
    /// shape. Other layers' copies said nothing Keras 2 uses, so they go.
    /// </summary>
    private static void InputShape(LayerNode layer, bool firstOfSequential)
    {
        var cfg = layer.Config;
        if (layer.ClassName == "Embedding" || !cfg.ContainsKey("input_dim")) return;
        var dim = cfg["input_dim"]?.DeepClone();
        var length = cfg["input_length"]?.DeepClone();
        cfg.Remove("input_dim");
        cfg.Remove("input_length");
        if (!firstOfSequential || cfg.ContainsKey("batch_input_shape") || !ShapeFromInputDim.Contains(layer.ClassName)) return;
        cfg["batch_input_shape"] = layer.ClassName == "Dense" ? new JsonArray(null, dim) : new JsonArray(null, length, dim);
    }
}
