using System.Text.Json.Nodes;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;

namespace Zoo.Bench.Norm;

/// <summary>
/// The study's CNN as a Keras 2 Sequential graph: (conv 3×3 same → norm → relu → maxpool 2) × 2 → flatten → dense 10
/// softmax, on 28×28×1 digits. Weights come from each layer's own spec, filled by name (Glorot-uniform kernels,
/// zeros for biases and means, ones for scales and variances), from one seed, so every variant starts alike.
/// </summary>
internal static class NormCnn
{
    public static ModelGraph Build(NormVariant v, int seed)
    {
        var rng = new Random(seed);
        var g = new ModelGraph { ClassName = "Sequential", Name = "norm_cnn" };
        g.Metadata.KerasVersion = "2.15.0";
        long[] shape = [1, 28, 28, 1];
        void Add(string cls, string name, string config, long[] input, long[] output)
        {
            var node = new LayerNode(cls, name, (JsonObject)JsonNode.Parse("{" + config + (config.Length > 0 ? ", " : "") + $"\"name\": \"{name}\"}}")!);
            g.Layers.Add(node);
            Fill(node, input, rng);
            shape = output;
        }
        g.Layers.Add(new LayerNode("InputLayer", "input", (JsonObject)JsonNode.Parse("{\"batch_input_shape\": [null, 28, 28, 1], \"name\": \"input\"}")!));
        foreach (var (i, filters) in new[] { (1, 8), (2, 16) })
        {
            long h = shape[1], w = shape[2];
            var conv = $"\"filters\": {filters}, \"kernel_size\": [3, 3], \"strides\": [1, 1], \"padding\": \"same\", \"activation\": \"linear\", \"use_bias\": true";
            long[] convOut = [1, h, w, filters];
            if (v.Wrapper is null) Add("Conv2D", $"conv{i}", conv, shape, convOut);
            else Add(v.Wrapper, $"conv{i}", v.WrapperConfig + ", \"layer\": {\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv" + i + "_inner\", " + conv + "}}", shape, convOut);
            if (v.Layer is not null) Add(v.Layer, $"norm{i}", v.LayerConfig!, convOut, convOut);
            Add("Activation", $"relu{i}", "\"activation\": \"relu\"", convOut, convOut);
            Add("MaxPooling2D", $"pool{i}", "\"pool_size\": [2, 2], \"strides\": [2, 2], \"padding\": \"valid\"", convOut, [1, h / 2, w / 2, filters]);
        }
        long flat = shape[1] * shape[2] * shape[3];
        Add("Flatten", "flatten", "", shape, [1, flat]);
        Add("Dense", "predictions", "\"units\": 10, \"activation\": \"softmax\", \"use_bias\": true", shape, [1, 10]);
        return g;
    }

    private static void Fill(LayerNode node, long[] input, Random rng)
    {
        var specs = LayerSpecs.Read(node).Weights([input]);
        float[]? kernel = null;
        foreach (var w in specs)
        {
            long n = WeightTensor.ElementCount(w.Shape);
            var name = $"{node.Name}/{(w.Scope is null ? "" : w.Scope + "/")}{w.Name}:0";
            if (w.Name == "initialized")
            {
                node.Weights.Add(new WeightTensor(name, w.Shape, DType.Bool, [1]));
                continue;
            }
            var values = new float[n];
            switch (w.Name)
            {
                case "kernel":
                    double fanIn = n / w.Shape[^1], fanOut = w.Shape.Length > 2 ? n / w.Shape[^2] : w.Shape[^1];
                    double limit = Math.Sqrt(6 / (fanIn + fanOut));
                    for (int i = 0; i < n; i++) values[i] = (float)((rng.NextDouble() * 2 - 1) * limit);
                    kernel = values;
                    break;
                case "g":
                    break; // set after the kernel: g = |v| per unit, so the normalized kernel starts equal to v
                case "vector_u":
                    for (int i = 0; i < n; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
                    break;
                case "gamma" or "moving_variance" or "moving_stddev" or "renorm_stddev" or "rho" or "mean_weights" or "variance_weights":
                    Array.Fill(values, 1f);
                    break;
            }
            node.Weights.Add(WeightTensor.FromFloat32(name, w.Shape, values));
        }
        int gi = specs.ToList().FindIndex(w => w.Name == "g");
        if (gi >= 0 && kernel is not null)
        {
            long units = specs[gi].Shape[0];
            var g = new float[units];
            for (long u = 0; u < units; u++)
            {
                double sq = 0;
                for (long i = u; i < kernel.Length; i += units) sq += kernel[i] * kernel[i];
                g[u] = (float)Math.Sqrt(sq);
            }
            node.Weights[gi] = WeightTensor.FromFloat32(node.Weights[gi].Name, specs[gi].Shape, g);
        }
    }
}
