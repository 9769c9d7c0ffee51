using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Tests.Dialects.Support;

/// <summary>
/// A small model-config ⇄ <see cref="ModelGraph"/> mapping for the dialect tests, standing in for
/// the library codec until it lands: layers, nested models and calls become IR structure, the rest
/// stays verbatim. Calls are written in the graph's dialect (Keras 3 dicts, or Keras 1/2 lists).
/// </summary>
internal static class TestConfigCodec
{
    private static readonly HashSet<string> ModelClasses = ["Sequential", "Functional", "Model"];

    public static ModelGraph Parse(JsonObject root, KerasDialectKind dialect)
    {
        var g = ParseModel(root);
        g.Metadata.Dialect = dialect;
        return g;
    }

    private static ModelGraph ParseModel(JsonObject entry)
    {
        var g = new ModelGraph { ClassName = entry["class_name"]!.GetValue<string>() };
        foreach (var (k, v) in entry)
            if (k == "training_config") g.TrainingConfig = (JsonObject?)v?.DeepClone();
            else if (k is not ("class_name" or "config" or "keras_version" or "backend" or "name" or "inbound_nodes")) g.Extras[k] = v?.DeepClone();
        JsonArray layers;
        if (entry["config"] is JsonArray list)
        {
            g.SequentialConfigIsList = true;
            layers = list;
        }
        else
        {
            var cfg = entry["config"]!.AsObject();
            g.Name = cfg["name"]?.GetValue<string>() ?? "model";
            layers = cfg["layers"]!.AsArray();
            foreach (var (k, v) in cfg)
                if (k is not ("name" or "layers" or "input_layers" or "output_layers")) g.ConfigExtras[k] = v?.DeepClone();
            (g.InputsAsSingle, var ins) = Refs(cfg["input_layers"]);
            (g.OutputsAsSingle, var outs) = Refs(cfg["output_layers"]);
            g.Inputs.AddRange(ins);
            g.Outputs.AddRange(outs);
        }
        foreach (var l in layers) g.Layers.Add(ParseLayer(l!.AsObject()));
        return g;
    }

    private static LayerNode ParseLayer(JsonObject entry)
    {
        var cls = entry["class_name"]!.GetValue<string>();
        var cfg = entry["config"] as JsonObject ?? new JsonObject();
        var name = entry["name"]?.GetValue<string>() ?? cfg["name"]?.GetValue<string>() ?? cls;
        LayerNode layer;
        if (ModelClasses.Contains(cls) && (cfg.ContainsKey("layers") || entry["config"] is JsonArray))
        {
            layer = new LayerNode(cls, name) { Nested = ParseModel(entry) };
            layer.Nested.Extras.Clear();
        }
        else layer = new LayerNode(cls, name, (JsonObject)cfg.DeepClone());
        foreach (var (k, v) in entry)
            if (k is not ("class_name" or "config" or "name" or "inbound_nodes")) layer.Extras[k] = v?.DeepClone();
        if (entry["inbound_nodes"] is JsonArray nodes)
        {
            layer.RawInboundNodes = (JsonArray)nodes.DeepClone();
            foreach (var n in nodes) layer.InboundNodes.Add(ParseCall(n!));
        }
        return layer;
    }

    private static NodeCall ParseCall(JsonNode node)
    {
        if (node is JsonObject k3)
        {
            var args = k3["args"]!.AsArray();
            var first = args[0]!;
            bool asList = first is JsonArray;
            var tensors = (first as JsonArray ?? new JsonArray(first.DeepClone())).Select(t => History(t!["config"]!["keras_history"]!)).ToList();
            return new NodeCall(tensors, (JsonObject?)k3["kwargs"]?.DeepClone(), asList);
        }
        var calls = node.AsArray();
        var kwargs = calls.Count > 0 && calls[0]!.AsArray().Count > 3 ? (JsonObject?)calls[0]![3]!.DeepClone() : null;
        return new NodeCall(calls.Select(c => History(c!)), kwargs, calls.Count > 1);
    }

    private static TensorRef History(JsonNode h) => new(h[0]!.GetValue<string>(), h[1]!.GetValue<int>(), h[2]!.GetValue<int>());

    private static (bool Single, List<TensorRef> Refs) Refs(JsonNode? node)
    {
        if (node is not JsonArray a || a.Count == 0) return (false, new());
        if (a[0] is JsonValue) return (true, [History(a)]);
        return (false, a.Select(r => History(r!)).ToList());
    }

    public static JsonObject Write(ModelGraph g)
    {
        var entry = new JsonObject { ["class_name"] = g.ClassName, ["config"] = WriteModelConfig(g, g.Metadata.Dialect) };
        foreach (var (k, v) in g.Extras) entry[k] = v?.DeepClone();
        if (g.TrainingConfig is not null && g.Metadata.Dialect != KerasDialectKind.Keras3) entry["training_config"] = g.TrainingConfig.DeepClone();
        return entry;
    }

    private static JsonNode WriteModelConfig(ModelGraph g, KerasDialectKind dialect)
    {
        var layers = new JsonArray(g.Layers.Select(l => (JsonNode)WriteLayer(l, g, dialect)).ToArray());
        if (g.SequentialConfigIsList) return layers;
        var cfg = new JsonObject { ["name"] = g.Name };
        foreach (var (k, v) in g.ConfigExtras) cfg[k] = v?.DeepClone();
        cfg["layers"] = layers;
        if (!g.IsSequential)
        {
            cfg["input_layers"] = WriteRefs(g.Inputs, g.InputsAsSingle);
            cfg["output_layers"] = WriteRefs(g.Outputs, g.OutputsAsSingle);
        }
        return cfg;
    }

    private static JsonArray WriteRefs(List<TensorRef> refs, bool single)
        => single && refs.Count == 1 ? Ref(refs[0]) : new JsonArray(refs.Select(r => (JsonNode)Ref(r)).ToArray());

    private static JsonArray Ref(TensorRef r) => new(r.Layer, r.NodeIndex, r.TensorIndex);

    private static JsonObject WriteLayer(LayerNode l, ModelGraph owner, KerasDialectKind dialect)
    {
        var entry = new JsonObject { ["class_name"] = l.ClassName };
        entry["config"] = l.Nested is not null ? WriteModelConfig(l.Nested, dialect) : l.Config.DeepClone();
        foreach (var (k, v) in l.Extras) entry[k] = v?.DeepClone();
        if (owner.IsSequential) return entry;
        entry["name"] = l.Name;
        entry["inbound_nodes"] = l.RawInboundNodes?.DeepClone() ?? new JsonArray(l.InboundNodes.Select(c => WriteCall(c, dialect)).ToArray());
        return entry;
    }

    private static JsonNode WriteCall(NodeCall c, KerasDialectKind dialect)
    {
        if (dialect != KerasDialectKind.Keras3)
            return new JsonArray(c.Inputs.Select(t => (JsonNode)new JsonArray(t.Layer, t.NodeIndex, t.TensorIndex, c.Kwargs.DeepClone())).ToArray());
        JsonNode tensor(TensorRef t) => new JsonObject
        {
            ["class_name"] = "__keras_tensor__",
            ["config"] = new JsonObject { ["shape"] = null, ["dtype"] = "float32", ["keras_history"] = Ref(t) },
        };
        JsonNode args = c.InputsAsList ? new JsonArray(c.Inputs.Select(tensor).ToArray()) : tensor(c.Inputs[0]);
        return new JsonObject { ["args"] = new JsonArray(args), ["kwargs"] = c.Kwargs.DeepClone() };
    }
}
