using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Dialects;

/// <summary>
/// Rewrites a Keras 3 graph as tf.keras 2.x writes it: <c>batch_input_shape</c>, dtype strings,
/// no envelope on built-in objects, Keras 2 argument names, a training config made from the
/// <c>compile_config</c>, and tensor call arguments as <c>[layer, node, tensor]</c> lists.
/// </summary>
internal static class Keras3ToKeras2
{
    /// <summary>Translates <paramref name="g"/> and its nested graphs in place.</summary>
    public static void Apply(ModelGraph g, List<DialectNote> notes, bool topLevel = true)
    {
        if (g.ConfigExtras["dtype"] is { } dtype) g.ConfigExtras["dtype"] = Keras2DType(dtype);
        foreach (var layer in g.Layers)
        {
            StripEnvelope(layer.Extras, layer.ClassName);
            if (layer.Nested is not null) { Apply(layer.Nested, notes, topLevel: false); continue; }
            layer.Config = TranslateLayer(layer.ClassName, layer.Name, layer.Config, notes);
            foreach (var call in layer.InboundNodes)
                TensorsAsLists(call.Kwargs);
        }
        if (!topLevel) return;
        StripEnvelope(g.Extras, g.ClassName);
        if (g.Extras["compile_config"] is JsonObject compile)
        {
            g.TrainingConfig ??= TrainingConfigConversion.ToTrainingConfig(compile, notes);
            g.Extras.Remove("compile_config");
        }
    }

    /// <summary>Translates one layer config (and wrapped layers inside it); returns it.</summary>
    public static JsonObject TranslateLayer(string cls, string name, JsonObject config, List<DialectNote> notes)
    {
        if (cls == "InputLayer") KerasObjects.Rename(config, "batch_shape", "batch_input_shape");
        Keras3Arguments.Drop(name, config, Keras3Arguments.Keras3Only(cls), notes);
        if (cls == "LeakyReLU") KerasObjects.Rename(config, "negative_slope", "alpha");
        if (config["dtype"] is { } dtype) config["dtype"] = Keras2DType(dtype);
        foreach (var key in config.Select(kv => kv.Key).ToList())
        {
            if (!KerasObjects.IsSerialized(config[key], out var obj)) continue;
            if (key is "layer" or "backward_layer" or "cell" && obj["config"] is JsonObject innerConfig)
                TranslateLayer(KerasObjects.ClassName(obj)!, KerasObjects.Str(innerConfig["name"]) ?? $"{name}/{key}", innerConfig, notes);
            KerasObjects.StripBuiltinEnvelope(obj);
        }
        return config;
    }

    /// <summary>A dtype value as tf.keras writes it: the policy name, or a <c>Policy</c> object for mixed precision.</summary>
    private static JsonNode? Keras2DType(JsonNode dtype)
    {
        if (!KerasObjects.IsKeras3Policy(dtype)) return dtype.DeepClone();
        var name = KerasObjects.PolicyName(dtype);
        if (name is null) return dtype.DeepClone();
        if (name.StartsWith("mixed_", StringComparison.Ordinal))
            return new JsonObject { ["class_name"] = "Policy", ["config"] = new JsonObject { ["name"] = name } };
        return name;
    }

    private static void StripEnvelope(JsonObject extras, string className)
    {
        KerasObjects.StripBuiltinEnvelope(extras, className);
    }

    /// <summary>Keras 3 <c>__keras_tensor__</c> objects → Keras 2's <c>[layer, node_index, tensor_index]</c>.</summary>
    private static JsonNode? TensorsAsLists(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o when KerasObjects.ClassName(o) == "__keras_tensor__":
                return o["config"]?["keras_history"]?.DeepClone()
                       ?? throw new ModelFormatException("a __keras_tensor__ call argument has no keras_history", objectPath: "inbound_nodes");
            case JsonObject o:
                foreach (var key in o.Select(kv => kv.Key).ToList())
                    if (TensorsAsLists(o[key]) is var r && !ReferenceEquals(r, o[key])) o[key] = r;
                return o;
            case JsonArray a:
                for (int i = 0; i < a.Count; i++)
                    if (TensorsAsLists(a[i]) is var r && !ReferenceEquals(r, a[i])) a[i] = r;
                return a;
            default:
                return node;
        }
    }
}
