using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Ir;

namespace Zoo.Models.Tests.CrossCheck;

/// <summary>A weight a case stores: its path below the layer group (<c>kernel</c>, <c>forward_lstm/kernel</c>) and Keras shape.</summary>
internal sealed record Wt(string Path, params long[] Shape);

/// <summary>One layer of a Sequential case: Keras 2 class name, layer name, the config's own fields (JSON object text) and weights.</summary>
internal sealed record Lyr(string Class, string Name, string Config, params Wt[] Weights);

/// <summary>An input of a case: its shape (batch first) and, for index inputs, the exclusive upper bound of the integers fed.</summary>
internal sealed record CaseInput(long[] Shape, int? IntBelow = null);

/// <summary>
/// One cross-check case: a Keras 2 (tf.keras 2.15) model config, the weights Keras would create for
/// it (filled with seeded random values), the inputs, and the max abs error tolerated between Zoo and
/// tfjs-layers.
/// </summary>
internal sealed record LayerCase(string Id, string ModelConfig, CaseInput[] Inputs, IReadOnlyDictionary<string, Wt[]> Weights, float Tolerance)
{
    /// <summary>Why the case is left out of the comparison (a known Zoo bug), or null.</summary>
    public string? SkipBecause { get; init; }

    /// <summary>Float inputs are uniform in [-scale, scale): large enough to reach an activation's clips and tails.</summary>
    public float InputScale { get; init; } = 1;

    public override string ToString() => Id;

    /// <summary>A Sequential model: an InputLayer of <paramref name="inputShape"/> (batch excluded, batch 2 fed) then <paramref name="layers"/>.</summary>
    public static LayerCase Seq(string id, long[] inputShape, params Lyr[] layers) => Seq(id, inputShape, null, 1e-5f, layers);

    /// <summary>As <see cref="Seq(string, long[], Lyr[])"/> with integer inputs below <paramref name="intBelow"/> and a chosen tolerance.</summary>
    public static LayerCase Seq(string id, long[] inputShape, int? intBelow, float tolerance, params Lyr[] layers)
    {
        var list = new JsonArray
        {
            new JsonObject
            {
                ["class_name"] = "InputLayer",
                ["config"] = new JsonObject
                {
                    ["batch_input_shape"] = new JsonArray(new JsonNode?[] { null }.Concat(inputShape.Select(d => (JsonNode?)d)).ToArray()),
                    ["dtype"] = "float32", ["sparse"] = false, ["ragged"] = false, ["name"] = "input",
                },
            },
        };
        foreach (var l in layers) list.Add(LayerObject(l.Class, l.Name, l.Config));
        var model = new JsonObject { ["class_name"] = "Sequential", ["config"] = new JsonObject { ["name"] = id, ["layers"] = list } };
        var weights = layers.Where(l => l.Weights.Length > 0).ToDictionary(l => l.Name, l => l.Weights);
        return new LayerCase(id, model.ToJsonString(), new[] { new CaseInput(new long[] { 2 }.Concat(inputShape).ToArray(), intBelow) }, weights, tolerance);
    }

    /// <summary>
    /// <paramref name="config"/> (a JSON object) with fields overridden or added: <paramref name="fields"/> is
    /// a list of JSON members, optionally led by a comma (<c>,"padding":"same"</c>).
    /// </summary>
    public static string With(string config, string fields)
    {
        var obj = (JsonObject)JsonNode.Parse(config)!;
        foreach (var (k, v) in (JsonObject)JsonNode.Parse("{" + fields.Trim().TrimStart(',') + "}")!) obj[k] = v?.DeepClone();
        return obj.ToJsonString();
    }

    /// <summary>A layer object in Keras 2's form: <c>{"class_name", "config": {name, trainable, dtype, …}}</c>.</summary>
    public static JsonObject LayerObject(string cls, string name, string config)
    {
        var cfg = new JsonObject { ["name"] = name, ["trainable"] = true, ["dtype"] = "float32" };
        foreach (var (k, v) in (JsonObject)JsonNode.Parse(config)!) cfg[k] = v?.DeepClone();
        return new JsonObject { ["class_name"] = cls, ["config"] = cfg };
    }

    /// <summary>
    /// The model as Zoo's IR with every weight filled from <paramref name="seed"/>: Keras 2 stored names
    /// (<c>layer/path:0</c>); variances positive, as a trained BatchNormalization's are.
    /// </summary>
    public ModelGraph Build(int seed)
    {
        var root = (JsonObject)JsonNode.Parse(ModelConfig)!;
        root["keras_version"] = "2.15.0";
        root["backend"] = "tensorflow";
        var graph = ModelConfigCodec.Parse(root, Id);
        var random = new Random(seed);
        foreach (var (layerPath, weights) in Weights)
        {
            var layer = Find(graph, layerPath);
            foreach (var w in weights)
            {
                var values = new float[WeightTensor.ElementCount(w.Shape)];
                bool positive = w.Path.EndsWith("variance", StringComparison.Ordinal);
                for (int i = 0; i < values.Length; i++)
                {
                    float u = (float)(random.NextDouble() - 0.5);
                    values[i] = positive ? 0.5f + Math.Abs(u) : u;
                }
                layer.Weights.Add(WeightTensor.FromFloat32($"{layer.Name}/{w.Path}:0", w.Shape, values));
            }
        }
        return graph;
    }

    /// <summary>Seeded inputs, row-major, Keras layout: uniform in [-<see cref="InputScale"/>, <see cref="InputScale"/>), or integers for index inputs.</summary>
    public float[][] MakeInputs(int seed)
    {
        var random = new Random(seed);
        return Inputs.Select(i =>
        {
            var x = new float[WeightTensor.ElementCount(i.Shape)];
            for (int k = 0; k < x.Length; k++) x[k] = i.IntBelow is { } n ? random.Next(n) : (float)(random.NextDouble() * 2 - 1) * InputScale;
            return x;
        }).ToArray();
    }

    private static LayerNode Find(ModelGraph graph, string path)
    {
        var parts = path.Split('/');
        var layer = graph.GetLayer(parts[0]);
        foreach (var part in parts.Skip(1)) layer = (layer.Nested ?? throw new ArgumentException($"{path}: '{layer.Name}' is not a model")).GetLayer(part);
        return layer;
    }
}
