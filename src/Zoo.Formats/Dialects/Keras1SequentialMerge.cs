using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Dialects;

/// <summary>
/// Keras 1 let a Sequential model start with <c>Merge([branch_a, branch_b], mode=...)</c>, each branch
/// itself a Sequential model. Keras 2 has no such Sequential; the same model is a functional graph:
/// one InputLayer per branch, the branch layers called in order, the merge on the branch outputs,
/// then the rest of the stack. Layer names are kept, so weights stored per layer (Keras 1 saved the
/// flattened layers) still bind by name.
/// </summary>
internal static class Keras1SequentialMerge
{
    /// <summary>True when <paramref name="g"/> is a Keras 1 Sequential model that starts with a Merge of branches.</summary>
    public static bool Applies(ModelGraph g)
        => g.IsSequential && g.Layers.Count > 0 && g.Layers[0].ClassName == "Merge" && g.Layers[0].Config["layers"] is JsonArray;

    /// <summary>Rewrites <paramref name="g"/> in place as a Keras 1 functional ("Model") graph.</summary>
    public static void Apply(ModelGraph g)
    {
        var stack = g.Layers.ToList();
        if (stack.Skip(1).Any(l => l.ClassName == "Merge" && l.Config["layers"] is JsonArray))
            throw new UnsupportedFeatureException($"model '{g.Name}': a Keras 1 Merge of branches after the first layer of a Sequential model cannot be placed in a graph", objectPath: stack.Skip(1).First(l => l.ClassName == "Merge").Name);
        g.Layers.Clear();
        g.ClassName = "Model";
        g.SequentialConfigIsList = false;
        var output = MergeNode(g, stack[0].Name, stack[0].Config);
        foreach (var layer in stack.Skip(1))
        {
            layer.InboundNodes.Clear();
            layer.InboundNodes.Add(new NodeCall([output]));
            Add(g, layer);
            output = new TensorRef(layer.Name);
        }
        g.Outputs.Clear();
        g.Outputs.Add(output);
    }

    private static TensorRef MergeNode(ModelGraph g, string name, JsonObject config)
    {
        var branches = (JsonArray)config["layers"]!;
        var outputs = new List<TensorRef>();
        for (int i = 0; i < branches.Count; i++)
            outputs.Add(Branch(g, branches[i] as JsonObject
                ?? throw new ModelFormatException($"Merge '{name}': branch {i} is not a model object", objectPath: $"{name}/layers/{i}"), $"{name}/layers/{i}"));
        var mergeConfig = (JsonObject)config.DeepClone();
        mergeConfig.Remove("layers");
        var merge = new LayerNode("Merge", name, mergeConfig);
        merge.InboundNodes.Add(new NodeCall(outputs, inputsAsList: true));
        Add(g, merge);
        return new TensorRef(name);
    }

    private static TensorRef Branch(ModelGraph g, JsonObject branch, string path)
    {
        var entries = branch["config"] as JsonArray ?? branch["config"]?["layers"] as JsonArray
            ?? (KerasObjects.ClassName(branch) is { } cls && cls != "Sequential"
                ? new JsonArray(branch.DeepClone())
                : throw new ModelFormatException("expected a Sequential branch with a list of layers", objectPath: path));
        if (entries.Count == 0) throw new ModelFormatException("expected a branch with at least one layer, found none", objectPath: path);
        TensorRef output;
        int start;
        var first = entries[0] as JsonObject ?? throw new ModelFormatException("expected a layer object", objectPath: path + "/0");
        var firstConfig = first["config"] as JsonObject ?? new JsonObject();
        if (KerasObjects.ClassName(first) == "Merge" && firstConfig["layers"] is JsonArray)
        {
            output = MergeNode(g, LayerName(first, path + "/0"), firstConfig);
            start = 1;
        }
        else
        {
            output = Input(g, first, path);
            start = 0;
        }
        for (int i = start; i < entries.Count; i++)
        {
            var e = entries[i] as JsonObject ?? throw new ModelFormatException("expected a layer object", objectPath: $"{path}/{i}");
            var layer = new LayerNode(KerasObjects.ClassName(e) ?? throw new ModelFormatException("expected class_name", objectPath: $"{path}/{i}"),
                LayerName(e, $"{path}/{i}"), (e["config"] as JsonObject)?.DeepClone().AsObject());
            layer.InboundNodes.Add(new NodeCall([output]));
            Add(g, layer);
            output = new TensorRef(layer.Name);
        }
        return output;
    }

    /// <summary>The InputLayer Keras 1 created for a branch from its first layer's input shape.</summary>
    private static TensorRef Input(ModelGraph g, JsonObject first, string path)
    {
        var cfg = first["config"] as JsonObject ?? new JsonObject();
        var firstName = LayerName(first, path);
        JsonNode shape = cfg["batch_input_shape"]?.DeepClone()
            ?? (cfg["input_dim"] is { } dim ? new JsonArray(null, dim.DeepClone()) : null)
            ?? throw new UnsupportedFeatureException($"branch starting with layer '{firstName}' declares no input shape (batch_input_shape or input_dim)", objectPath: path);
        var name = firstName + "_input";
        var input = new LayerNode("InputLayer", name, new JsonObject
        {
            ["batch_input_shape"] = shape,
            ["input_dtype"] = cfg["input_dtype"]?.DeepClone() ?? "float32",
            ["sparse"] = false,
            ["name"] = name,
        });
        Add(g, input);
        g.Inputs.Add(new TensorRef(name));
        return new TensorRef(name);
    }

    private static string LayerName(JsonObject entry, string path)
        => KerasObjects.Str(entry["name"]) ?? KerasObjects.Str(entry["config"]?["name"])
           ?? throw new ModelFormatException("expected a layer name", objectPath: path);

    private static void Add(ModelGraph g, LayerNode layer)
    {
        if (g.FindLayer(layer.Name) is not null)
            throw new ModelFormatException($"expected unique layer names, found '{layer.Name}' twice after flattening the Merge branches", objectPath: layer.Name);
        g.Layers.Add(layer);
    }
}
