using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Dialects;

/// <summary>
/// Rewrites a Keras 2 (or tf.keras) graph as Keras 3 writes it: an explicit InputLayer in Sequential
/// models, <c>batch_shape</c>, dtype policy objects, the module/registered_name envelope, Keras 3's
/// argument names, and a <c>compile_config</c> made from the training config.
/// </summary>
internal static class Keras2ToKeras3
{
    /// <summary>Translates <paramref name="g"/> and its nested graphs in place.</summary>
    public static void Apply(ModelGraph g, List<DialectNote> notes, bool topLevel = true)
    {
        if (g.ClassName == "Model") g.ClassName = "Functional";
        g.SequentialConfigIsList = false;
        if (g.ConfigExtras["dtype"] is { } dtype && !KerasObjects.IsKeras3Policy(dtype) && KerasObjects.PolicyName(dtype) is { } p)
            g.ConfigExtras["dtype"] = KerasObjects.PolicyObject(p);
        if (g.IsSequential) ExplicitInputLayer(g);
        foreach (var layer in g.Layers)
        {
            if (layer.Nested is not null)
            {
                Apply(layer.Nested, notes, topLevel: false);
                layer.ClassName = layer.Nested.ClassName;
                ModelEnvelope(layer.Extras, layer.ClassName);
                continue;
            }
            // Sequential shapes moved to the InputLayer above; a functional layer's copy was never used.
            if (layer.ClassName != "InputLayer") layer.Config.Remove("batch_input_shape");
            layer.ClassName = Keras3Class(layer.ClassName, layer.Name, layer.Config);
            layer.Config = TranslateLayer(layer.ClassName, layer.Name, layer.Config, notes);
            // Zoo's own layers carry their registered name, as Keras 3 writes a registered custom object.
            if (layer.ClassName.StartsWith("Zoo>", StringComparison.Ordinal)) EnsureEnvelope(layer.Extras, Config.RegisteredNames.ZooModule, layer.ClassName);
            else EnsureEnvelope(layer.Extras, "keras.layers", null);
            foreach (var call in layer.InboundNodes) RefuseTensorKwargs(g, layer.Name, call);
        }
        if (topLevel)
        {
            ModelEnvelope(g.Extras, g.ClassName, topLevel: true);
            if (g.TrainingConfig is not null && !g.Extras.ContainsKey("compile_config"))
                g.Extras["compile_config"] = TrainingConfigConversion.ToCompileConfig(g.TrainingConfig, notes);
        }
    }

    /// <summary>Translates one layer config (and wrapped layers inside it); returns it.</summary>
    public static JsonObject TranslateLayer(string cls, string name, JsonObject config, List<DialectNote> notes)
    {
        if (cls == "InputLayer")
        {
            KerasObjects.Rename(config, "batch_input_shape", "batch_shape");
            return config;
        }
        Keras3Arguments.Drop(name, config, Keras3Arguments.Keras2Only(cls), notes);
        if (cls == "LeakyReLU") KerasObjects.Rename(config, "alpha", "negative_slope");
        // Keras 2.0-2.1 GRUs had no reset_after and computed the old way; Keras 3's default is the new way.
        if (cls == "GRU" && !config.ContainsKey("reset_after")) config["reset_after"] = false;
        if (cls == "BatchNormalization" && config["axis"] is JsonArray { Count: 1 } axis) config["axis"] = axis[0]?.DeepClone();
        foreach (var key in new[] { "activation", "recurrent_activation" })
            if (KerasObjects.Str(config[key]) == "hard_sigmoid")
                notes.Add(new(name, $"{key} 'hard_sigmoid' means clip(0.2x+0.5) in Keras 2 but relu6(x+3)/6 in Keras 3: Keras 3 will compute different outputs (no Keras 3 activation reproduces Keras 2's)"));
        if (config["dtype"] is { } dtype && !KerasObjects.IsKeras3Policy(dtype) && KerasObjects.PolicyName(dtype) is { } policy)
            config["dtype"] = KerasObjects.PolicyObject(policy);
        foreach (var key in config.Select(kv => kv.Key).ToList())
        {
            var module = key == "activity_regularizer" ? "keras.regularizers" : KerasObjects.ModuleForKey(key);
            if (module is not null && KerasObjects.IsSerialized(config[key], out var obj)) NestedObject(obj, module);
            if (key is "layer" or "backward_layer" or "cell" && KerasObjects.IsSerialized(config[key], out var inner)
                && inner["config"] is JsonObject innerConfig)
            {
                var innerClass = Keras3Class(KerasObjects.ClassName(inner)!, name + "/" + key, innerConfig);
                inner["class_name"] = innerClass;
                TranslateLayer(innerClass, KerasObjects.Str(innerConfig["name"]) ?? $"{name}/{key}", innerConfig, notes);
                KerasObjects.AddEnvelope(inner, "keras.layers");
            }
        }
        return config;
    }

    /// <summary>Keras 2 layers Keras 3 dropped: the equivalent Keras 3 class (config rewritten in place), or a refusal that says why.</summary>
    private static string Keras3Class(string cls, string name, JsonObject config)
    {
        switch (cls)
        {
            case "ThresholdedReLU":
                // x if x > theta else 0 is ReLU with that threshold and no negative slope.
                var theta = config["theta"]?.DeepClone() ?? 1.0;
                config.Remove("theta");
                config["max_value"] = null;
                config["negative_slope"] = 0.0;
                config["threshold"] = theta;
                return "ReLU";
            case "LocallyConnected1D" or "LocallyConnected2D":
                throw new UnsupportedFeatureException($"layer '{name}': Keras 3 has no {cls} (unshared-weight convolution); it cannot be expressed with Keras 3 layers", objectPath: name);
            case "CuDNNLSTM" or "CuDNNGRU":
                throw new UnsupportedFeatureException($"layer '{name}': Keras 3 has no {cls}; its weights (separate input and recurrent biases) need converting to a {cls[5..]} layout, which Zoo does not do", objectPath: name);
            default:
                return cls;
        }
    }

    private static void NestedObject(JsonObject obj, string module)
    {
        if (obj["config"] is JsonObject cfg && module == "keras.initializers")
        {
            cfg.Remove("dtype"); // tf.keras 2.2-2.3 wrote it; Keras 3 initializers do not take it.
            if (KerasObjects.ClassName(obj) == "VarianceScaling" && KerasObjects.Str(cfg["distribution"]) == "normal")
                cfg["distribution"] = "truncated_normal"; // what "normal" meant since Keras 2.2; Keras 3 refuses the old name.
        }
        KerasObjects.AddEnvelope(obj, module);
    }

    /// <summary>Keras 3 Sequential models start with an InputLayer; Keras 2 put the shape on the first layer.</summary>
    private static void ExplicitInputLayer(ModelGraph g)
    {
        if (g.Layers.Count == 0) return;
        var first = g.Layers[0];
        if (first.ClassName == "InputLayer")
        {
            if (g.Layers.Count > 1) g.Layers[1].Config.Remove("batch_input_shape");
            return;
        }
        if (first.Config["batch_input_shape"] is not JsonArray shape) return;
        var name = first.Name + "_input";
        while (g.FindLayer(name) is not null) name += "_";
        var input = new LayerNode("InputLayer", name, new JsonObject
        {
            ["batch_shape"] = shape.DeepClone(),
            ["dtype"] = KerasObjects.PolicyName(first.Config["dtype"]) ?? "float32",
            ["sparse"] = false,
            ["name"] = name,
        });
        input.Extras["module"] = "keras.layers";
        input.Extras["registered_name"] = null;
        g.Layers.Insert(0, input);
    }

    private static void ModelEnvelope(JsonObject extras, string cls, bool topLevel = false)
    {
        // Keras 3 names a nested functional model by its implementation module and registered name.
        bool nestedFunctional = !topLevel && cls == "Functional";
        EnsureEnvelope(extras, nestedFunctional ? "keras.src.models.functional" : "keras", nestedFunctional ? "Functional" : null);
    }

    /// <summary>Adds a layer or model entry's <c>module</c> and <c>registered_name</c> when it has none.</summary>
    internal static void EnsureEnvelope(JsonObject extras, string module, string? registeredName)
    {
        if (!extras.ContainsKey("module")) extras["module"] = module;
        if (!extras.ContainsKey("registered_name")) extras["registered_name"] = registeredName;
    }

    // tf.keras recorded a tensor call argument as [layer, node_index, tensor_index]; Keras 3 needs a
    // __keras_tensor__ whose shape Keras 3 insists on (KerasTensor refuses an undefined shape).
    private static void RefuseTensorKwargs(ModelGraph g, string layer, NodeCall call)
    {
        foreach (var (key, value) in call.Kwargs)
            if (value is JsonArray { Count: 3 } a && KerasObjects.Str(a[0]) is { } source && g.FindLayer(source) is not null
                && a[1] is JsonValue && a[2] is JsonValue)
                throw new UnsupportedFeatureException(
                    $"layer '{layer}': call argument '{key}' is a tensor; Keras 3 records a tensor argument with its shape, which Zoo does not infer", objectPath: layer);
    }
}
