using System.Text;
using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Tests.Support;

/// <summary>
/// Builds random but valid model graphs from a seed (FsCheck supplies the seeds): Unicode and '/' in
/// names, empty layers, nested configs, every dtype, shared layers called twice, nested models.
/// </summary>
public static class RandomGraphs
{
    private static readonly string[] NameParts = ["dense", "conv2d", "ünïcødé", "层", "a/b", "x y", "emoji🙂", "dot.name", "q'uote", "back\\slash", "tab\tname", "ok"];
    private static readonly string[] Classes = ["Dense", "Conv2D", "BatchNormalization", "Dropout", "Activation", "MyCustomLayer", "Flatten"];

    public static string Name(Random r, int i) => NameParts[r.Next(NameParts.Length)] + "_" + i;

    public static JsonNode? ConfigValue(Random r, int depth)
    {
        switch (r.Next(depth > 2 ? 6 : 8))
        {
            case 0: return null;
            case 1: return JsonValue.Create(r.Next(2) == 0);
            case 2: return JsonValue.Create(r.Next(-1000, 1000));
            case 3: return JsonNode.Parse(((r.NextDouble() - 0.5) * Math.Pow(10, r.Next(-12, 12))).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            case 4: return JsonValue.Create(Name(r, r.Next(100)));
            case 5: return JsonValue.Create(r.Next(3) switch { 0 => "", 1 => "yes", _ => "1e-05" });
            case 6:
                var a = new JsonArray();
                for (int i = r.Next(4); i > 0; i--) a.Add(ConfigValue(r, depth + 1));
                return a;
            default:
                var o = new JsonObject();
                for (int i = r.Next(4); i > 0; i--) o[Name(r, i)] = ConfigValue(r, depth + 1);
                return o;
        }
    }

    public static WeightTensor Weight(Random r, string name)
    {
        var dtype = Enum.GetValues<DType>()[r.Next(Enum.GetValues<DType>().Length)];
        var rank = r.Next(0, 4);
        var shape = Enumerable.Range(0, rank).Select(_ => (long)r.Next(0, 5)).ToArray();
        var data = new byte[WeightTensor.ElementCount(shape) * dtype.Size()];
        r.NextBytes(data);
        if (dtype == DType.Bool) for (int i = 0; i < data.Length; i++) data[i] &= 1;
        return new WeightTensor(name, shape, dtype, data);
    }

    /// <summary>A functional graph: an input, a chain with random configs, a shared layer called twice, a merge.</summary>
    public static ModelGraph Functional(int seed, KerasDialectKind dialect = KerasDialectKind.Keras2)
    {
        var r = new Random(seed);
        var g = new ModelGraph { ClassName = "Functional", Name = "model_" + Name(r, 0) };
        g.Metadata.Dialect = dialect;
        var input = new LayerNode("InputLayer", "input_" + Name(r, 0), new JsonObject { ["batch_input_shape"] = new JsonArray(null, 4), ["name"] = "in" });
        g.Layers.Add(input);
        var prev = new TensorRef(input.Name);
        int n = r.Next(1, 6);
        for (int i = 1; i <= n; i++)
        {
            var cfg = new JsonObject { ["trainable"] = r.Next(2) == 0 };
            for (int k = r.Next(4); k > 0; k--) cfg[Name(r, k + 10)] = ConfigValue(r, 0);
            var l = new LayerNode(Classes[r.Next(Classes.Length)], $"{Name(r, i)}_{i}", cfg);
            l.InboundNodes.Add(new NodeCall([prev], r.Next(2) == 0 ? new JsonObject { ["training"] = false } : null));
            g.Layers.Add(l);
            prev = new TensorRef(l.Name);
        }
        var shared = new LayerNode("Dense", "shared_" + Name(r, 99), new JsonObject { ["units"] = 3 });
        shared.InboundNodes.Add(new NodeCall([prev]));
        shared.InboundNodes.Add(new NodeCall([new TensorRef(input.Name)]));
        g.Layers.Add(shared);
        var merge = new LayerNode("Add", "add_" + Name(r, 98), new JsonObject());
        merge.InboundNodes.Add(new NodeCall([new TensorRef(shared.Name, 0), new TensorRef(shared.Name, 1)]));
        g.Layers.Add(merge);
        g.Inputs.Add(new TensorRef(input.Name));
        g.Outputs.Add(new TensorRef(merge.Name));
        return g;
    }
}

/// <summary>Graphs that carry weights, for the binary formats' properties.</summary>
public static class RandomWeightedGraphs
{
    /// <summary>
    /// A functional chain of custom layers (any variables are allowed for an unknown class) with random
    /// weights of every dtype and rank, weightless layers in between, and names with Unicode and '/'.
    /// </summary>
    public static ModelGraph Build(int seed, bool allDtypes = true)
    {
        var r = new Random(seed);
        var g = new ModelGraph { ClassName = "Functional", Name = "prop_model" };
        g.Metadata.Dialect = KerasDialectKind.Keras2;
        g.Metadata.KerasVersion = "2.15.0";
        var input = new LayerNode("InputLayer", "input_1", new JsonObject { ["batch_input_shape"] = new JsonArray(null, 4), ["dtype"] = "float32", ["name"] = "input_1" });
        g.Layers.Add(input);
        var prev = input.Name;
        int n = r.Next(1, 7);
        for (int i = 1; i <= n; i++)
        {
            bool weightless = r.Next(4) == 0;
            var name = RandomGraphs.Name(r, i).Replace("\\", "") + $"_{i}";
            var l = new LayerNode(weightless ? "Dropout" : "MyCustomLayer", name, new JsonObject { ["name"] = name, ["trainable"] = true, ["rate"] = 0.5 });
            if (!weightless)
                for (int w = r.Next(0, 4); w > 0; w--)
                {
                    var t = RandomGraphs.Weight(r, $"{name}/var_{w}:0");
                    l.Weights.Add(allDtypes || t.DType == DType.Float32 ? t : new WeightTensor(t.Name, t.Shape, DType.Float32, new byte[t.ElementCount() * 4]));
                }
            l.InboundNodes.Add(new NodeCall([new TensorRef(prev)]));
            g.Layers.Add(l);
            prev = name;
        }
        g.Inputs.Add(new TensorRef(input.Name));
        g.Outputs.Add(new TensorRef(prev));
        return g;
    }
}
