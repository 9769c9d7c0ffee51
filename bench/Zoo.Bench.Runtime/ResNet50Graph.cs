using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Ir;

namespace Zoo.Bench.Runtime;

/// <summary>
/// The real keras.applications ResNet50 structure, read from a tfjs-converted Keras model.json (its
/// modelTopology is the Keras model config, its weightsManifest lists every weight's name and shape),
/// with seeded random weights in place of the shards the fixture does not ship.
/// </summary>
internal static class ResNet50Graph
{
    public static ModelGraph Load(string modelJson, int seed = 1)
    {
        var root = JsonNode.Parse(File.ReadAllText(modelJson))!.AsObject();
        var topology = root["modelTopology"]!.AsObject();
        var graph = ModelConfigCodec.Parse(topology["model_config"]!, modelJson, (string?)topology["keras_version"]);
        graph.Metadata.Backend = (string?)topology["backend"];
        var rng = new Random(seed);
        foreach (var group in root["weightsManifest"]!.AsArray())
        foreach (var w in group!["weights"]!.AsArray())
        {
            var name = (string)w!["name"]!;
            var shape = w["shape"]!.AsArray().Select(d => (long)d!).ToArray();
            var slash = name.IndexOf('/');
            var layer = graph.GetLayer(name[..slash]);
            layer.Weights.Add(WeightTensor.FromFloat32(name + ":0", shape, Values(name[(slash + 1)..], shape, rng)));
        }
        return graph;
    }

    /// <summary>He-scaled kernels so activations stay O(1) through 50 layers; positive variances.</summary>
    private static float[] Values(string variable, long[] shape, Random rng)
    {
        int n = (int)WeightTensor.ElementCount(shape);
        double fanIn = shape.Length > 1 ? shape.Take(shape.Length - 1).Aggregate(1L, (a, b) => a * b) : 1;
        Func<double> next = variable switch
        {
            "kernel" => () => (rng.NextDouble() * 2 - 1) * Math.Sqrt(6 / fanIn),
            "gamma" => () => 0.5 + rng.NextDouble() * 0.5,
            "moving_variance" => () => 0.5 + rng.NextDouble(),
            _ => () => (rng.NextDouble() * 2 - 1) * 0.1,
        };
        return Enumerable.Range(0, n).Select(_ => (float)next()).ToArray();
    }
}
