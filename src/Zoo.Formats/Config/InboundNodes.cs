using System.Text.Json;
using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Config;

/// <summary>
/// Reads and writes a layer's <c>inbound_nodes</c> in both forms Keras has used:
/// Keras 1/2 <c>[[["dense", 0, 0, {kwargs}], ...], ...]</c> and Keras 3
/// <c>[{"args": [tensor or [tensors]], "kwargs": {...}}]</c> with <c>__keras_tensor__</c> objects.
/// </summary>
internal static class InboundNodes
{
    public static List<NodeCall> Parse(JsonArray nodes, string layer, string? file)
    {
        var calls = new List<NodeCall>();
        for (int n = 0; n < nodes.Count; n++)
        {
            var path = $"layers/{layer}/inbound_nodes/{n}";
            switch (nodes[n])
            {
                case JsonObject k3:
                    calls.Add(ParseKeras3(k3, path, file));
                    break;
                case JsonArray k2:
                    calls.Add(ParseKeras2(k2, path, file));
                    break;
                default:
                    throw new ModelFormatException($"expected a node (list or object), found {Kind(nodes[n])}", file, path);
            }
        }
        return calls;
    }

    private static NodeCall ParseKeras2(JsonArray node, string path, string? file)
    {
        // A node is a list of [layer, node_index, tensor_index, kwargs?]; tf.keras also wrote a single
        // entry without the outer list for one-input calls in some versions.
        if (node.Count > 0 && node[0] is JsonValue) node = new JsonArray(node.DeepClone());
        var inputs = new List<TensorRef>();
        JsonObject? kwargs = null;
        foreach (var entry in node)
        {
            if (entry is not JsonArray e || e.Count < 3)
                throw new ModelFormatException($"expected [layer, node_index, tensor_index(, kwargs)], found {Kind(entry)}", file, path);
            inputs.Add(Ref(e, path, file));
            if (kwargs is null && e.Count > 3 && e[3] is JsonObject kw) kwargs = (JsonObject)kw.DeepClone();
        }
        return new NodeCall(inputs, kwargs);
    }

    private static NodeCall ParseKeras3(JsonObject node, string path, string? file)
    {
        var inputs = new List<TensorRef>();
        bool asList = false;
        if (node["args"] is JsonArray args)
        {
            if (args.Count > 0 && args[0] is JsonArray) asList = true;
            Collect(args, inputs, path, file);
        }
        var kwargs = node["kwargs"] is JsonObject kw ? (JsonObject)kw.DeepClone() : new JsonObject();
        return new NodeCall(inputs, kwargs, asList);
    }

    private static void Collect(JsonNode? n, List<TensorRef> into, string path, string? file)
    {
        switch (n)
        {
            case JsonObject o when (o["class_name"] as JsonValue)?.ToString() == "__keras_tensor__":
                if (o["config"]?["keras_history"] is not JsonArray h || h.Count < 3)
                    throw new ModelFormatException("expected keras_history [layer, node_index, tensor_index] in __keras_tensor__", file, path);
                into.Add(Ref(h, path, file));
                break;
            case JsonObject o:
                foreach (var (_, v) in o) Collect(v, into, path, file);
                break;
            case JsonArray a:
                foreach (var v in a) Collect(v, into, path, file);
                break;
        }
    }

    public static TensorRef Ref(JsonArray e, string path, string? file)
    {
        if (e.Count < 3 || e[0] is not JsonValue nameV || nameV.GetValueKind() != JsonValueKind.String)
            throw new ModelFormatException($"expected [layer name, node_index, tensor_index], found {e.ToJsonString()}", file, path);
        return new TensorRef(nameV.GetValue<string>(), Index(e[1], path, file), Index(e[2], path, file));
    }

    private static int Index(JsonNode? n, string path, string? file)
    {
        if (n is JsonValue v && v.GetValueKind() == JsonValueKind.Number && int.TryParse(KerasJson.NumberText(v), out int i) && i >= 0) return i;
        throw new ModelFormatException($"expected a non-negative integer index, found {Kind(n)}", file, path);
    }

    /// <summary>Writes calls in the dialect's form; <paramref name="shapeOf"/> supplies Keras 3 tensor shapes when known.</summary>
    public static JsonArray Write(IReadOnlyList<NodeCall> calls, KerasDialectKind dialect, Func<TensorRef, JsonNode?>? shapeOf = null)
    {
        var nodes = new JsonArray();
        foreach (var call in calls)
        {
            if (dialect == KerasDialectKind.Keras3)
            {
                JsonNode tensors = call.InputsAsList
                    ? new JsonArray(call.Inputs.Select(t => (JsonNode?)KerasTensor(t, shapeOf)).ToArray())
                    : KerasTensor(call.Inputs.Single(), shapeOf);
                nodes.Add(new JsonObject { ["args"] = new JsonArray(tensors), ["kwargs"] = call.Kwargs.DeepClone() });
            }
            else
            {
                var entries = new JsonArray();
                foreach (var t in call.Inputs)
                    entries.Add(new JsonArray(t.Layer, t.NodeIndex, t.TensorIndex, call.Kwargs.DeepClone()));
                nodes.Add(entries);
            }
        }
        return nodes;
    }

    private static JsonObject KerasTensor(TensorRef t, Func<TensorRef, JsonNode?>? shapeOf) => new()
    {
        ["class_name"] = "__keras_tensor__",
        ["config"] = new JsonObject
        {
            ["shape"] = shapeOf?.Invoke(t),
            ["dtype"] = "float32",
            ["keras_history"] = new JsonArray(t.Layer, t.NodeIndex, t.TensorIndex),
        },
    };

    /// <summary>True when two call lists are the same calls (inputs, kwargs, list-ness).</summary>
    public static bool SameCalls(IReadOnlyList<NodeCall> a, IReadOnlyList<NodeCall> b)
        => a.Count == b.Count && a.Zip(b).All(p => p.First.Inputs.SequenceEqual(p.Second.Inputs)
            && p.First.InputsAsList == p.Second.InputsAsList
            && JsonNode.DeepEquals(p.First.Kwargs, p.Second.Kwargs));

    public static string Kind(JsonNode? n) => n switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"the string \"{v}\"",
            JsonValueKind.Number => $"the number {v}",
            _ => v.ToJsonString(),
        },
        _ => "?",
    };
}
