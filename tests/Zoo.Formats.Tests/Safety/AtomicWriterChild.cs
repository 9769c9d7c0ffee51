using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Tests.Safety;

/// <summary>
/// The child process of the kill test: builds a large model (megabytes of weights, thousands of layers for
/// JSON and YAML), says "ready", then saves it over the target again and again, saying "saved N" after each,
/// until it is killed.
/// </summary>
public static class AtomicWriterChild
{
    public static int Run(string format, string target)
    {
        var graph = LargeGraph(format, "new");
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        var options = Options(format);
        for (long n = 1; ; n++)
        {
            KerasFile.Save(graph, target, options);
            Console.Out.WriteLine($"saved {n}");
            Console.Out.Flush();
        }
    }

    /// <summary>How each format under test is saved: every writer Zoo has.</summary>
    public static SaveOptions Options(string format) => new()
    {
        Format = format switch
        {
            "h5" => KerasFormat.H5Full,
            "weights-h5" => KerasFormat.H5Weights,
            "keras" => KerasFormat.KerasArchive,
            "keras3-weights" => KerasFormat.KerasWeights,
            "json" => KerasFormat.Json,
            "yaml" => KerasFormat.Yaml,
            "onnx" => KerasFormat.Onnx,
            _ => throw new ArgumentException($"unknown format {format}"),
        },
    };

    /// <summary>A deterministic model whose saved bytes depend only on <paramref name="format"/> and <paramref name="version"/>.</summary>
    public static ModelGraph LargeGraph(string format, string version)
    {
        bool text = format is "json" or "yaml"; // architecture only: thousands of layers make the file large
        int layers = text ? 1500 : 24;
        int units = text ? 4 : 256;
        var g = new ModelGraph { ClassName = "Sequential", Name = "big_" + version };
        bool keras3 = format is "keras" or "keras3-weights";
        g.Metadata.Dialect = keras3 ? KerasDialectKind.Keras3 : KerasDialectKind.Keras2;
        g.Metadata.KerasVersion = keras3 ? "3.10.0" : "2.15.0";
        g.Metadata.Backend = "tensorflow";
        g.SequentialConfigIsList = false;
        var input = new LayerNode("InputLayer", "input", new JsonObject
        {
            [keras3 ? "batch_shape" : "batch_input_shape"] = new JsonArray(null, units),
            ["dtype"] = "float32",
            ["name"] = "input",
        });
        g.Layers.Add(input);
        var values = new float[units * units];
        for (int i = 0; i < values.Length; i++) values[i] = (i % 97) / 97f + (version == "new" ? 2 : 1);
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
