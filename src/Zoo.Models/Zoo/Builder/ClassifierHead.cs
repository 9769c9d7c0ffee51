using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Zoo.Formats;
using Zoo.Formats.Dialects;
using Zoo.Formats.Ir;

namespace Zoo.Models.ModelZoo.Builder;

/// <summary>What a new classifier head is made of (Keras's transfer-learning guide's head).</summary>
public sealed record ClassifierHeadOptions
{
    /// <summary>Number of classes: units of the last Dense layer.</summary>
    public int Classes { get; init; } = 2;

    /// <summary>Rate of the Dropout layer before the last Dense layer; 0 leaves it out.</summary>
    public double Dropout { get; init; } = 0.2;

    /// <summary>Activation of the last Dense layer (<c>softmax</c>, <c>sigmoid</c>, <c>linear</c> for logits).</summary>
    public string Activation { get; init; } = "softmax";

    /// <summary>Seed of the Dense kernel's Glorot-uniform values (the bias starts at zero).</summary>
    public int Seed { get; init; }
}

/// <summary>
/// Adds the classifier head Keras's transfer-learning guide puts on a convolutional base to a model graph:
/// GlobalAveragePooling2D (when the base gives feature maps), Dropout, and Dense with one unit per class. The layers
/// are written as the graph's own Keras dialect writes them (tf.keras 2 or Keras 3 configs), named as Keras would
/// name them (<c>global_average_pooling2d</c>, <c>dropout</c>, <c>dense</c>, with <c>_1</c>, … when taken).
/// </summary>
public static class ClassifierHead
{
    /// <summary>
    /// Appends the head to <paramref name="graph"/> on <paramref name="features"/> (null for a Sequential graph), whose
    /// shape (batch first) is <paramref name="featureShape"/>; returns the head's output (null for Sequential).
    /// </summary>
    /// <exception cref="UnsupportedFeatureException">The features are neither a vector nor image feature maps (rank 4).</exception>
    public static TensorRef? Append(ModelGraph graph, TensorRef? features, long[] featureShape, ClassifierHeadOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Classes < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Classes, "a head needs at least one class");
        var names = new HashSet<string>(AllNames(graph), StringComparer.Ordinal);
        var dialect = graph.Metadata.Dialect;
        var x = features;
        long width = featureShape[^1];
        if (featureShape.Length > 2)
        {
            if (featureShape.Length != 4)
                throw new UnsupportedFeatureException($"model '{graph.Name}': the base gives features of rank {featureShape.Length}; a new head is built for image bases (rank 4) or feature vectors (rank 2)");
            x = Add(graph, Layer("GlobalAveragePooling2D", Unique(names, "global_average_pooling2d"), new() { ["data_format"] = "channels_last", ["keepdims"] = false }, dialect), x);
        }
        if (options.Dropout > 0)
            x = Add(graph, Layer("Dropout", Unique(names, "dropout"), new() { ["rate"] = options.Dropout, ["noise_shape"] = null, ["seed"] = null }, dialect), x);
        var dense = Layer("Dense", Unique(names, "dense"), new()
        {
            ["units"] = options.Classes, ["activation"] = options.Activation, ["use_bias"] = true,
            ["kernel_initializer"] = Initializers.GlorotUniform(), ["bias_initializer"] = Initializers.Config("Zeros"),
            ["kernel_regularizer"] = null, ["bias_regularizer"] = null, ["activity_regularizer"] = null,
            ["kernel_constraint"] = null, ["bias_constraint"] = null,
        }, dialect);
        var kernel = new float[width * options.Classes];
        ulong state = (ulong)(uint)options.Seed * 0x2545F4914F6CDD1DUL + 1;
        Initializers.FillGlorotUniform(kernel, [width, options.Classes], ref state);
        dense.Weights.Add(new WeightTensor($"{dense.Name}/kernel:0", [width, options.Classes], DType.Float32, MemoryMarshal.AsBytes(kernel.AsSpan()).ToArray()));
        dense.Weights.Add(new WeightTensor($"{dense.Name}/bias:0", [options.Classes], DType.Float32, new byte[options.Classes * sizeof(float)]));
        return Add(graph, dense, x);
    }

    /// <summary>A layer named <paramref name="name"/> of <paramref name="className"/> in <paramref name="dialect"/>'s form (the Keras 2 <paramref name="fields"/> translated).</summary>
    internal static LayerNode Layer(string className, string name, JsonObject fields, KerasDialectKind dialect)
    {
        var config = new JsonObject { ["name"] = name, ["trainable"] = true, ["dtype"] = "float32" };
        foreach (var (k, v) in fields) config[k] = v?.DeepClone();
        // Re-parsed so every value is a JSON element, as a reader would produce.
        var layer = new LayerNode(className, name, (JsonObject)JsonNode.Parse(config.ToJsonString())!);
        DialectTranslator.TranslateNewLayer(layer, dialect);
        return layer;
    }

    /// <summary>Appends <paramref name="layer"/> called on <paramref name="input"/>; returns its output (null in a Sequential graph).</summary>
    internal static TensorRef? Add(ModelGraph g, LayerNode layer, TensorRef? input)
    {
        g.Layers.Add(layer);
        if (g.IsSequential) return null;
        layer.InboundNodes.Add(new NodeCall([input!.Value]));
        return new TensorRef(layer.Name, 0, 0);
    }

    /// <summary>Every layer name in <paramref name="g"/>, nested models' included (Keras keeps them unique across a model).</summary>
    internal static IEnumerable<string> AllNames(ModelGraph g)
        => g.Layers.SelectMany(l => l.Nested is null ? [l.Name] : AllNames(l.Nested).Append(l.Name));

    /// <summary><paramref name="prefix"/>, or <c>prefix_1</c>, <c>prefix_2</c>, … : the first not in <paramref name="names"/> (which it joins).</summary>
    internal static string Unique(HashSet<string> names, string prefix)
    {
        for (int n = 0; ; n++)
        {
            var name = n == 0 ? prefix : $"{prefix}_{n}";
            if (names.Add(name)) return name;
        }
    }
}
