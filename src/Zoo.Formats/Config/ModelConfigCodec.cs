using System.Text.Json;
using System.Text.Json.Nodes;
using Zoo.Formats.Dialects;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Config;

/// <summary>
/// Turns a Keras model config (<c>{"class_name": ..., "config": ...}</c>, any dialect) into a
/// <see cref="ModelGraph"/> and back. The one place that knows the config's shape; dialect
/// differences inside layer configs are <see cref="DialectTranslator"/>'s.
/// </summary>
public static class ModelConfigCodec
{
    private static readonly HashSet<string> ModelClasses = new(StringComparer.Ordinal) { "Sequential", "Functional", "Model" };

    /// <summary>Class names Keras uses for models (a layer with one of these names and a <c>layers</c> list is a nested model).</summary>
    public static bool IsModelClass(string className) => ModelClasses.Contains(className);

    /// <summary>Parses a model config object; <paramref name="file"/> names the source in errors.</summary>
    public static ModelGraph Parse(JsonNode modelConfig, string? file = null) => Parse(modelConfig, file, null);

    /// <summary>Parses a model config object whose file declared <paramref name="kerasVersion"/> (used as the dialect tiebreaker).</summary>
    public static ModelGraph Parse(JsonNode modelConfig, string? file, string? kerasVersion)
    {
        if (modelConfig is not JsonObject root)
            throw new ModelFormatException($"expected the model config to be an object with class_name and config, found {InboundNodes.Kind(modelConfig)}", file, "model_config");
        var graph = ParseModelObject((JsonObject)root.DeepClone(), file, "model_config", depth: 0);
        var kv = (root["keras_version"] as JsonValue)?.ToString() ?? kerasVersion;
        if (kv is not null) graph.Metadata.KerasVersion = kv;
        if (root["backend"] is JsonValue b) graph.Metadata.Backend = b.ToString();
        graph.SetDialect(KerasDialect.Detect(root, graph.Metadata.KerasVersion));
        return graph;
    }

    /// <summary>Writes the graph's model config in <paramref name="dialect"/> (the graph's own when null).</summary>
    public static JsonObject Write(ModelGraph graph, KerasDialectKind? dialect = null, Func<TensorRef, JsonNode?>? shapeOf = null)
    {
        if (!graph.HasArchitecture)
            throw new UnsupportedFeatureException($"model '{graph.Name}' has no architecture (it came from a weights-only file); pair it with an architecture file");
        var target = dialect ?? graph.Metadata.Dialect;
        if (target != graph.Metadata.Dialect)
            graph = DialectTranslator.TranslateReporting(graph, target);
        return WriteModelObject(graph, target, graph.Metadata.Dialect, shapeOf);
    }

    private const int MaxNesting = 64;

    private static ModelGraph ParseModelObject(JsonObject obj, string? file, string path, int depth)
    {
        if (depth > MaxNesting) throw new UnsafeModelException($"expected models nested at most {MaxNesting} deep, found deeper nesting", file, path);
        var className = Str(obj, "class_name", file, path);
        var g = new ModelGraph { ClassName = className };
        foreach (var (k, v) in obj)
            if (k is not ("class_name" or "config")) g.Extras[k] = v?.DeepClone();
        var config = obj["config"];
        if (className == "Sequential")
        {
            JsonArray layers;
            if (config is JsonArray list) { layers = list; g.SequentialConfigIsList = true; g.Name = "sequential"; }
            else if (config is JsonObject c && c["layers"] is JsonArray l)
            {
                layers = l;
                g.Name = OptStr(c, "name") ?? "sequential";
                foreach (var (k, v) in c) if (k is not ("name" or "layers")) g.ConfigExtras[k] = v?.DeepClone();
            }
            else throw new ModelFormatException($"expected Sequential config to be a list of layers or an object with 'layers', found {InboundNodes.Kind(config)}", file, path + "/config");
            for (int i = 0; i < layers.Count; i++) g.Layers.Add(ParseLayer(layers[i], functional: false, file, $"{path}/config/layers/{i}", depth));
        }
        else
        {
            if (config is not JsonObject c || c["layers"] is not JsonArray layers)
                throw new UnsupportedFeatureException($"expected a Sequential or functional model config with 'layers', found class '{className}' without a layers list (subclassed models cannot be read from a config)", file, path);
            g.Name = OptStr(c, "name") ?? "model";
            foreach (var (k, v) in c) if (k is not ("name" or "layers" or "input_layers" or "output_layers")) g.ConfigExtras[k] = v?.DeepClone();
            for (int i = 0; i < layers.Count; i++) g.Layers.Add(ParseLayer(layers[i], functional: true, file, $"{path}/config/layers/{i}", depth));
            g.InputsAsSingle = ParseRefs(c["input_layers"], g.Inputs, file, path + "/config/input_layers");
            g.OutputsAsSingle = ParseRefs(c["output_layers"], g.Outputs, file, path + "/config/output_layers");
            Validate(g, file, path);
        }
        var dupe = g.Layers.GroupBy(l => l.Name).FirstOrDefault(x => x.Count() > 1);
        if (dupe is not null) throw new ModelFormatException($"expected unique layer names, found '{dupe.Key}' {dupe.Count()} times", file, path);
        return g;
    }

    private static LayerNode ParseLayer(JsonNode? entry, bool functional, string? file, string path, int depth)
    {
        if (entry is not JsonObject e) throw new ModelFormatException($"expected a layer object, found {InboundNodes.Kind(entry)}", file, path);
        var className = RegisteredNames.ForIr(Str(e, "class_name", file, path), e["registered_name"]);
        var config = e["config"] as JsonObject ?? new JsonObject();
        var name = OptStr(e, "name") ?? OptStr(config, "name")
                   ?? throw new ModelFormatException("expected a layer name (entry 'name' or config 'name'), found none", file, path);
        LayerNode layer;
        if (IsModelClass(className) && (e["config"] is JsonArray || config["layers"] is JsonArray))
        {
            var nestedObj = new JsonObject { ["class_name"] = className, ["config"] = e["config"]?.DeepClone() };
            var nested = ParseModelObject(nestedObj, file, path, depth + 1);
            foreach (var (k, v) in e) if (k is not ("class_name" or "config" or "name" or "inbound_nodes")) nested.Extras[k] = v?.DeepClone();
            nested.Name = name;
            // The nested graph's config extras and the layer's config are one object, so setting
            // Trainable on the layer is what the writer emits.
            layer = new LayerNode(className, name, nested.ConfigExtras) { Nested = nested, Extras = nested.Extras };
        }
        else
        {
            layer = new LayerNode(className, name, config);
            foreach (var (k, v) in e) if (k is not ("class_name" or "config" or "name" or "inbound_nodes")) layer.Extras[k] = v?.DeepClone();
        }
        if (functional && e["inbound_nodes"] is JsonArray inbound)
        {
            layer.RawInboundNodes = (JsonArray)inbound.DeepClone();
            layer.InboundNodes.AddRange(InboundNodes.Parse(inbound, name, file));
        }
        return layer;
    }

    private static bool ParseRefs(JsonNode? n, List<TensorRef> into, string? file, string path)
    {
        if (n is null) return false;
        if (n is not JsonArray a) throw new ModelFormatException($"expected a list of [layer, node, tensor], found {InboundNodes.Kind(n)}", file, path);
        if (a.Count >= 3 && a[0] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            into.Add(InboundNodes.Ref(a, path, file));
            return true;
        }
        for (int i = 0; i < a.Count; i++)
        {
            if (a[i] is not JsonArray r) throw new ModelFormatException($"expected [layer, node, tensor], found {InboundNodes.Kind(a[i])}", file, $"{path}/{i}");
            into.Add(InboundNodes.Ref(r, $"{path}/{i}", file));
        }
        return false;
    }

    private static void Validate(ModelGraph g, string? file, string path)
    {
        // Duplicates are refused here, before the name lookup below, which would otherwise throw an untyped ArgumentException.
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var l in g.Layers)
            if (!names.Add(l.Name))
                throw new ModelFormatException($"expected unique layer names, found '{l.Name}' twice", file, $"{path}/layers/{l.Name}");
        void Check(TensorRef t, string where)
        {
            if (!names.Contains(t.Layer))
                throw new ModelFormatException($"expected a reference to a layer of this model, found unknown layer '{t.Layer}'", file, where);
        }
        foreach (var t in g.Inputs) Check(t, path + "/config/input_layers");
        foreach (var t in g.Outputs) Check(t, path + "/config/output_layers");
        foreach (var l in g.Layers)
            foreach (var call in l.InboundNodes)
                foreach (var t in call.Inputs)
                    Check(t, $"{path}/layers/{l.Name}/inbound_nodes");
    }

    private static JsonObject WriteModelObject(ModelGraph g, KerasDialectKind dialect, KerasDialectKind sourceDialect, Func<TensorRef, JsonNode?>? shapeOf)
    {
        if (dialect == KerasDialectKind.Keras3 && !g.IsSequential) shapeOf ??= Keras3TensorShapes.For(g);
        var obj = new JsonObject();
        if (g.Extras["module"] is { } module) obj["module"] = module.DeepClone();
        obj["class_name"] = g.ClassName;
        if (g.IsSequential && g.SequentialConfigIsList && dialect != KerasDialectKind.Keras3)
        {
            obj["config"] = new JsonArray(g.Layers.Select(l => (JsonNode?)WriteLayer(l, false, dialect, sourceDialect, shapeOf)).ToArray());
        }
        else
        {
            var c = new JsonObject { ["name"] = g.Name };
            foreach (var (k, v) in g.ConfigExtras) c[k] = v?.DeepClone();
            c["layers"] = new JsonArray(g.Layers.Select(l => (JsonNode?)WriteLayer(l, !g.IsSequential, dialect, sourceDialect, shapeOf)).ToArray());
            if (!g.IsSequential)
            {
                c["input_layers"] = WriteRefs(g.Inputs, g.InputsAsSingle && dialect == KerasDialectKind.Keras3);
                c["output_layers"] = WriteRefs(g.Outputs, g.OutputsAsSingle && dialect == KerasDialectKind.Keras3);
            }
            obj["config"] = c;
        }
        foreach (var (k, v) in g.Extras) if (k != "module") obj[k] = v?.DeepClone();
        return obj;
    }

    private static JsonObject WriteLayer(LayerNode l, bool functional, KerasDialectKind dialect, KerasDialectKind sourceDialect, Func<TensorRef, JsonNode?>? shapeOf)
    {
        JsonObject e;
        if (l.Nested is not null)
        {
            l.Nested.Name = l.Name;
            e = WriteModelObject(l.Nested, dialect, sourceDialect, shapeOf);
        }
        else
        {
            e = new JsonObject();
            if (l.Extras["module"] is { } module) e["module"] = module.DeepClone();
            e["class_name"] = dialect == KerasDialectKind.Keras3 ? RegisteredNames.ForKeras3(l.ClassName, l.Extras["registered_name"]) : l.ClassName;
            e["config"] = l.Config.DeepClone();
            foreach (var (k, v) in l.Extras) if (k != "module") e[k] = v?.DeepClone();
        }
        if (functional)
        {
            e["name"] = l.Name;
            e["inbound_nodes"] = dialect == sourceDialect && l.RawInboundNodes is not null
                                 && InboundNodes.SameCalls(InboundNodes.Parse(l.RawInboundNodes, l.Name, null), l.InboundNodes)
                ? l.RawInboundNodes.DeepClone()
                : InboundNodes.Write(l.InboundNodes, dialect, shapeOf);
        }
        return e;
    }

    private static JsonArray WriteRefs(List<TensorRef> refs, bool single)
    {
        JsonArray One(TensorRef t) => new(t.Layer, t.NodeIndex, t.TensorIndex);
        return single && refs.Count == 1 ? One(refs[0]) : new JsonArray(refs.Select(t => (JsonNode?)One(t)).ToArray());
    }

    internal static string Str(JsonObject o, string key, string? file, string path)
        => o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
           : throw new ModelFormatException($"expected string '{key}', found {InboundNodes.Kind(o[key])}", file, path);

    internal static string? OptStr(JsonObject o, string key)
        => o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
