using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Models.Tests.Support;

/// <summary>Builds small ModelGraphs by hand, with random weights, for lowering tests.</summary>
internal static class G
{
    public static JsonObject Cfg(string json) => (JsonObject)JsonNode.Parse(json)!;

    public static LayerNode Layer(string cls, string name, string configJson, params WeightTensor[] weights)
    {
        var cfg = Cfg(configJson);
        cfg["name"] = name;
        var node = new LayerNode(cls, name, cfg);
        node.Weights.AddRange(weights);
        return node;
    }

    public static ModelGraph Sequential(params LayerNode[] layers)
    {
        var g = new ModelGraph { ClassName = "Sequential", Name = "seq" };
        g.Layers.AddRange(layers);
        return g;
    }

    public static LayerNode Input(string name, params long?[] batchShape)
        => Layer("InputLayer", name, "{\"batch_input_shape\": [" + string.Join(",", batchShape.Select(d => d?.ToString() ?? "null")) + "]}");

    /// <summary>Adds a call of <paramref name="layer"/> on <paramref name="inputs"/> (node index = call order).</summary>
    public static LayerNode Calls(this LayerNode layer, params TensorRef[] inputs)
    {
        layer.InboundNodes.Add(new NodeCall(inputs));
        return layer;
    }

    public static float[] Rand(int n, int seed, float scale = 1f)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1) * scale).ToArray();
    }

    public static WeightTensor W(string layer, string name, long[] shape, int seed, float scale = 0.5f)
        => WeightTensor.FromFloat32($"{layer}/{name}:0", shape, Rand((int)WeightTensor.ElementCount(shape), seed, scale));

    public static float MaxAbsDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        float m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }

    public static void Close(float[] expected, float[] actual, float tol = 1e-5f)
    {
        var d = MaxAbsDiff(expected, actual);
        Assert.True(d <= tol, $"max abs error {d} > {tol}");
    }

    public static float[] Run(ModelGraph g, float[] x, long[] shape, out long[] outShape)
    {
        using var m = KerasModel.FromGraph(g);
        return m.Predict(x, shape, out outShape);
    }
}
