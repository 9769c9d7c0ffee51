using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.FineTune.Freezing;

/// <summary>
/// Replaces a model's classifier head with the one Keras's transfer-learning guide adds:
/// GlobalAveragePooling2D (when the base ends in feature maps), Dropout, and a Dense layer with one unit
/// per class (Glorot-uniform kernel from the seed, zero bias), written as tf.keras 2 configs.
/// </summary>
public static class HeadReplacer
{
    /// <summary>A copy of <paramref name="graph"/> whose head is new (see the class summary).</summary>
    /// <exception cref="UnsupportedFeatureException">The graph is not a Keras 2 / tf.keras graph, or its base has several outputs.</exception>
    public static ModelGraph Replace(ModelGraph graph, int classes, double dropout = 0.2, string activation = "softmax", int seed = 0)
    {
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "a head needs at least one class");
        if (graph.Metadata.Dialect != KerasDialectKind.Keras2)
            throw new UnsupportedFeatureException($"model '{graph.Name}': head replacement writes tf.keras 2 configs; this graph is {graph.Metadata.Dialect} (convert it to Keras 2 first)");
        var copy = graph.DeepClone();
        var parts = ModelParts.Of(copy);
        var headNames = parts.Head.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        var lastBase = parts.Base.Count > 0 ? parts.Base[^1] : throw new UnsupportedFeatureException($"model '{graph.Name}': no base layers to put a head on");
        var baseOut = BaseOutput(copy, parts);
        var shapes = ModelParts.OutputShapes(copy);
        // Activations are keyed by call (layer#k for call k), and a nested base's first call is Keras node 1.
        int call = baseOut is { } r ? KerasNodeIndex.CallIndex(copy.GetLayer(r.Layer), r.NodeIndex, copy.Metadata.Dialect) : 0;
        var outKey = baseOut is { } b ? (call == 0 ? b.Layer : $"{b.Layer}#{call}") : lastBase.Name;
        var outShape = shapes.TryGetValue(outKey, out var s) ? s
            : throw new UnsupportedFeatureException($"model '{graph.Name}': the base output '{outKey}' was not computed");

        copy.Layers.RemoveAll(l => headNames.Contains(l.Name));
        var names = new HashSet<string>(AllNames(copy), StringComparer.Ordinal);
        var x = baseOut;
        long features = outShape[^1];
        if (outShape.Length > 2)
        {
            if (outShape.Length != 4) throw new UnsupportedFeatureException($"model '{graph.Name}': the base output has rank {outShape.Length}; a new head is built for image bases (rank 4)");
            x = Add(copy, Layer("GlobalAveragePooling2D", Unique(names, "global_average_pooling2d"), new() { ["data_format"] = "channels_last", ["keepdims"] = false }), x);
        }
        if (dropout > 0)
            x = Add(copy, Layer("Dropout", Unique(names, "dropout"), new() { ["rate"] = dropout, ["noise_shape"] = null, ["seed"] = null }), x);
        var dense = Layer("Dense", Unique(names, "dense"), new()
        {
            ["units"] = classes, ["activation"] = activation, ["use_bias"] = true,
            ["kernel_initializer"] = Initializers.GlorotUniform(), ["bias_initializer"] = Initializers.Config("Zeros"),
            ["kernel_regularizer"] = null, ["bias_regularizer"] = null, ["activity_regularizer"] = null,
            ["kernel_constraint"] = null, ["bias_constraint"] = null,
        });
        var kernel = new float[features * classes];
        ulong state = (ulong)(uint)seed * 0x2545F4914F6CDD1DUL + 1;
        Initializers.FillGlorotUniform(kernel, new[] { features, (long)classes }, ref state);
        dense.Weights.Add(new WeightTensor($"{dense.Name}/kernel:0", new[] { features, (long)classes }, DType.Float32, MemoryMarshal.AsBytes(kernel.AsSpan()).ToArray()));
        dense.Weights.Add(new WeightTensor($"{dense.Name}/bias:0", new[] { (long)classes }, DType.Float32, new byte[classes * sizeof(float)]));
        x = Add(copy, dense, x);
        if (!copy.IsSequential)
        {
            copy.Outputs.Clear();
            copy.Outputs.Add(x!.Value);
        }
        return copy;
    }

    private static TensorRef? BaseOutput(ModelGraph g, ModelParts parts)
    {
        if (g.IsSequential) return null;
        if (parts.Head.Count == 0)
            return g.Outputs.Count == 1 ? g.Outputs[0] : throw new UnsupportedFeatureException($"model '{g.Name}': a new head needs a single base output, found {g.Outputs.Count}");
        var first = parts.Head[0];
        if (first.InboundNodes.Count != 1 || first.InboundNodes[0].Inputs.Count != 1)
            throw new UnsupportedFeatureException($"model '{g.Name}': the head's first layer '{first.Name}' must be called once on one tensor");
        return first.InboundNodes[0].Inputs[0];
    }

    private static TensorRef? Add(ModelGraph g, LayerNode layer, TensorRef? input)
    {
        g.Layers.Add(layer);
        if (g.IsSequential) return null;
        layer.InboundNodes.Add(new NodeCall(new[] { input!.Value }));
        return new TensorRef(layer.Name, 0, 0);
    }

    private static LayerNode Layer(string className, string name, JsonObject fields)
    {
        var config = new JsonObject { ["name"] = name, ["trainable"] = true, ["dtype"] = "float32" };
        foreach (var (k, v) in fields) config[k] = v?.DeepClone();
        // Re-parsed so every value is a JSON element, as a reader would produce.
        return new LayerNode(className, name, (JsonObject)JsonNode.Parse(config.ToJsonString())!);
    }

    private static IEnumerable<string> AllNames(ModelGraph g)
        => g.Layers.SelectMany(l => l.Nested is null ? new[] { l.Name } : AllNames(l.Nested).Append(l.Name));

    private static string Unique(HashSet<string> names, string prefix)
    {
        for (int n = 0; ; n++)
        {
            var name = n == 0 ? prefix : $"{prefix}_{n}";
            if (names.Add(name)) return name;
        }
    }
}
