using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Tests.Safety;

/// <summary>
/// The child process of the kill test: builds a large model (megabytes of weights, thousands of layers for
/// JSON), says "ready", then saves it over the target again and again until it is killed.
/// </summary>
public static class AtomicWriterChild
{
    public static int Run(string format, string target)
    {
        var graph = LargeGraph(format, "new");
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        while (true) KerasFile.Save(graph, target);
    }

    /// <summary>A deterministic model whose saved bytes depend only on <paramref name="format"/> and <paramref name="version"/>.</summary>
    public static ModelGraph LargeGraph(string format, string version)
    {
        int layers = format == "json" ? 4000 : 24;
        int units = format == "json" ? 4 : 256;
        var g = new ModelGraph { ClassName = "Sequential", Name = "big_" + version };
        g.Metadata.Dialect = format == "keras" ? KerasDialectKind.Keras3 : KerasDialectKind.Keras2;
        g.Metadata.KerasVersion = format == "keras" ? "3.10.0" : "2.15.0";
        g.Metadata.Backend = "tensorflow";
        g.SequentialConfigIsList = false;
        var input = new LayerNode("InputLayer", "input", new JsonObject
        {
            [format == "keras" ? "batch_shape" : "batch_input_shape"] = new JsonArray(null, units),
            ["dtype"] = "float32",
            ["name"] = "input",
        });
        g.Layers.Add(input);
        var values = new float[units * units];
        for (int i = 0; i < values.Length; i++) values[i] = (i % 97) / 97f + version.Length;
        for (int i = 0; i < layers; i++)
        {
            var name = $"dense_{i}";
            var layer = new LayerNode("Dense", name, new JsonObject { ["name"] = name, ["units"] = units, ["activation"] = "linear", ["use_bias"] = false, ["trainable"] = true, ["dtype"] = "float32" });
            layer.Weights.Add(WeightTensor.FromFloat32($"{name}/kernel:0", [units, units], values));
            g.Layers.Add(layer);
        }
        return g;
    }
}
