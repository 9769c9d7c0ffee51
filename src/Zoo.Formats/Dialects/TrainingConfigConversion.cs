using System.Text.Json.Nodes;

namespace Zoo.Formats.Dialects;

/// <summary>
/// Converts between the HDF5 <c>training_config</c> (Keras 2 and Keras 3's legacy H5:
/// <c>optimizer_config</c>, loss, metrics, …) and the Keras 3 archive's <c>compile_config</c>
/// (the arguments of <c>compile()</c>, each object in its module envelope).
/// </summary>
public static class TrainingConfigConversion
{
    private static readonly HashSet<string> BuiltinOptimizers =
        ["SGD", "RMSprop", "Adam", "AdamW", "Adadelta", "Adagrad", "Adamax", "Adafactor", "Nadam", "Ftrl", "Lion", "Lamb", "Muon"];

    // tf.keras optimizer arguments Keras 3's optimizers refuse ("Argument(s) not recognized").
    private static readonly string[] Keras2OnlyOptimizerArguments = ["jit_compile", "is_legacy_optimizer"];

    /// <summary>A Keras 3 <c>compile_config</c> equivalent to a Keras 2 <c>training_config</c>; drops are added to <paramref name="notes"/>.</summary>
    public static JsonObject ToCompileConfig(JsonObject trainingConfig, List<DialectNote> notes)
    {
        ArgumentNullException.ThrowIfNull(trainingConfig);
        ArgumentNullException.ThrowIfNull(notes);
        var result = new JsonObject();
        if (trainingConfig["optimizer_config"] is JsonObject opt) result["optimizer"] = Keras3Optimizer(opt, notes);
        foreach (var (key, value) in trainingConfig)
        {
            switch (key)
            {
                case "optimizer_config":
                    break;
                case "loss":
                    result["loss"] = Keras3Loss(value);
                    break;
                case "metrics" or "weighted_metrics":
                    result[key] = Keras3Metrics(value);
                    break;
                case "sample_weight_mode":
                    if (value is not null) notes.Add(new("training_config", $"dropped sample_weight_mode {value.ToJsonString()}: Keras 3 compile() has no such argument"));
                    break;
                default:
                    result[key] = value?.DeepClone();
                    break;
            }
        }
        return result;
    }

    /// <summary>A Keras 2 <c>training_config</c> equivalent to a Keras 3 <c>compile_config</c>.</summary>
    public static JsonObject ToTrainingConfig(JsonObject compileConfig, List<DialectNote> notes)
    {
        ArgumentNullException.ThrowIfNull(compileConfig);
        ArgumentNullException.ThrowIfNull(notes);
        var result = new JsonObject();
        foreach (var (key, value) in compileConfig)
        {
            if (key == "optimizer") continue;
            result[key] = key == "loss" ? Keras2Loss(value) : StripAll(value?.DeepClone());
        }
        switch (compileConfig["optimizer"])
        {
            case JsonObject opt when KerasObjects.IsSerialized(opt, out _):
                var copy = (JsonObject)opt.DeepClone();
                KerasObjects.StripBuiltinEnvelope(copy);
                result["optimizer_config"] = copy;
                break;
            case JsonValue name when KerasObjects.Str(name) is { } s:
                result["optimizer_config"] = new JsonObject { ["class_name"] = s, ["config"] = new JsonObject() };
                break;
            case null:
                break;
            default:
                notes.Add(new("compile_config", "optimizer is neither a name nor a serialized optimizer; training_config has none"));
                break;
        }
        return result;
    }

    private static JsonObject Keras3Optimizer(JsonObject opt, List<DialectNote> notes)
    {
        var copy = (JsonObject)opt.DeepClone();
        var cls = KerasObjects.ClassName(copy) ?? "";
        // tf.keras 2.11+ registered its new optimizers as "Custom>Adam".
        if (cls.StartsWith("Custom>", StringComparison.Ordinal) && BuiltinOptimizers.Contains(cls[7..])) copy["class_name"] = cls[7..];
        if (copy["config"] is JsonObject cfg)
        {
            KerasObjects.Rename(cfg, "lr", "learning_rate");
            foreach (var arg in Keras2OnlyOptimizerArguments) cfg.Remove(arg);
            if (cfg["decay"] is { } decay)
            {
                cfg.Remove("decay");
                if (!(decay is JsonValue v && v.TryGetValue(out double d) && d == 0))
                    notes.Add(new("training_config", $"dropped optimizer decay {decay.ToJsonString()}: Keras 3 optimizers take a learning-rate schedule instead"));
            }
        }
        KerasObjects.AddEnvelope(copy, "keras.optimizers");
        return copy;
    }

    private static JsonNode? Keras3Loss(JsonNode? loss)
    {
        switch (loss)
        {
            case JsonObject o when KerasObjects.IsSerialized(o, out _):
                var copy = (JsonObject)o.DeepClone();
                if (copy["config"] is JsonObject cfg)
                {
                    // Keras 3 reductions have no "auto"; tf.keras resolved "auto" to sum over batch size.
                    if (KerasObjects.Str(cfg["reduction"]) == "auto") cfg["reduction"] = "sum_over_batch_size";
                    if (KerasObjects.ClassName(copy) != "LossFunctionWrapper") cfg.Remove("fn");
                }
                KerasObjects.AddEnvelope(copy, "keras.losses");
                return copy;
            case JsonObject perOutput:
                var dict = new JsonObject();
                foreach (var (k, v) in perOutput) dict[k] = Keras3Loss(v);
                return dict;
            case JsonArray list:
                return new JsonArray(list.Select(Keras3Loss).ToArray());
            default:
                return loss?.DeepClone();
        }
    }

    private static JsonNode? Keras3Metrics(JsonNode? metrics)
    {
        // tf.keras nests metrics per output even for one output: [[...]].
        if (metrics is JsonArray { Count: 1 } outer && outer[0] is JsonArray single) metrics = single;
        return metrics switch
        {
            JsonArray list => new JsonArray(list.Select(Keras3Metric).ToArray()),
            JsonObject perOutput when !KerasObjects.IsSerialized(perOutput, out _) => new JsonObject(perOutput.Select(kv => KeyValuePair.Create(kv.Key, Keras3Metrics(kv.Value)))),
            _ => Keras3Metric(metrics),
        };
    }

    private static JsonNode? Keras3Metric(JsonNode? metric)
    {
        if (metric is JsonArray nested) return new JsonArray(nested.Select(Keras3Metric).ToArray());
        if (!KerasObjects.IsSerialized(metric, out var obj)) return metric?.DeepClone();
        // A MeanMetricWrapper around a named function is what compile(metrics=["accuracy"]) made.
        if (KerasObjects.ClassName(obj) == "MeanMetricWrapper" && KerasObjects.Str(obj["config"]?["name"]) is { } name) return name;
        var copy = (JsonObject)obj.DeepClone();
        KerasObjects.AddEnvelope(copy, "keras.metrics");
        return copy;
    }

    private static JsonNode? Keras2Loss(JsonNode? loss)
    {
        // Keras 3 serializes a plain loss function as {"module": "builtins", "class_name": "function", "config": "<name>"}.
        if (loss is JsonObject o && KerasObjects.ClassName(o) == "function" && KerasObjects.Str(o["config"]) is { } fn) return fn;
        if (loss is JsonObject perOutput && !KerasObjects.IsSerialized(perOutput, out _))
            return new JsonObject(perOutput.Select(kv => KeyValuePair.Create(kv.Key, Keras2Loss(kv.Value))));
        return StripAll(loss?.DeepClone());
    }

    private static JsonNode? StripAll(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            if (KerasObjects.IsSerialized(o, out _)) KerasObjects.StripBuiltinEnvelope(o);
            foreach (var (_, v) in o) StripAll(v);
        }
        else if (node is JsonArray a)
            foreach (var v in a) StripAll(v);
        return node;
    }
}
