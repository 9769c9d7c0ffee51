using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Hdf5;

namespace Zoo.Models.Tests.ModelZoo;

/// <summary>
/// The layouts of keras.applications' published ImageNet weight files, as docs/imagenet-weights.md records them
/// with their sources, applied to a zoo model's own arrays: the names the file gives its layers and weights, its
/// root attributes, and how Zoo must pair its layers. The file itself is written by keras_applications_h5.py on
/// Debian's h5py, which stores names and values as the h5py under Keras did.
/// </summary>
/// <param name="Era">The Keras that wrote the published files.</param>
/// <param name="Backend">The root <c>backend</c> attribute; null where the file has none.</param>
/// <param name="KerasVersion">The root <c>keras_version</c> attribute; null where the file has none.</param>
/// <param name="LayerName">The file's name for a zoo layer.</param>
/// <param name="WeightName">The file's name for a zoo weight, given the file's layer name and the weight's short name.</param>
internal sealed record PublishedLayout(string Era, string? Backend, string? KerasVersion,
    Func<string, string> LayerName, Func<string, string, string> WeightName)
{
    /// <summary>VGG16/19 (fchollet/deep-learning-models v0.1, Keras 1): only <c>layer_names</c>; a second TensorFlow session's <c>_1</c> on every variable.</summary>
    public static readonly PublishedLayout Keras1 = new("Keras 1", null, null, l => l,
        (layer, w) => w switch
        {
            "kernel" => $"{layer}_W_1:0",
            "bias" => $"{layer}_b_1:0",
            _ => throw new ArgumentException($"a Keras 1 VGG layer has no weight '{w}'", nameof(w)),
        });

    /// <summary>InceptionV3 (v0.5, Keras 2.0): one-based automatic names, <c>conv2d_1</c> for tf.keras's <c>conv2d</c>.</summary>
    public static readonly PublishedLayout Keras20 = new("Keras 2.0", "tensorflow", "2.0.2", OneBased,
        (layer, w) => $"{layer}/{w}:0");

    /// <summary>ResNet and ResNetV2 (keras_applications 1.0.x <c>resnet_common</c>, Keras 2.2): tf.keras's names, the classifier called <c>probs</c>.</summary>
    public static readonly PublishedLayout Keras22 = new("Keras 2.2", "tensorflow", "2.2.4",
        l => l == "predictions" ? "probs" : l, (layer, w) => $"{layer}/{w}:0");

    /// <summary>The layout of the published files for zoo model <paramref name="model"/>.</summary>
    public static PublishedLayout For(string model) => model switch
    {
        "vgg16" or "vgg19" => Keras1,
        "inceptionv3" => Keras20,
        _ when model.StartsWith("resnet", StringComparison.Ordinal) => Keras22,
        _ => throw new ArgumentException($"keras.applications publishes no ImageNet file for '{model}'", nameof(model)),
    };

    /// <summary>Writes <paramref name="graph"/>'s weights as a file of this layout at <paramref name="path"/> (every layer listed, in order).</summary>
    public void Write(ModelGraph graph, string path)
    {
        var scratch = Directory.CreateTempSubdirectory("zoo-layout-").FullName;
        try
        {
            // One raw little-endian float32 blob with offsets: the script maps it instead of opening a file per weight.
            var blobPath = Path.Combine(scratch, "weights.bin");
            var layers = new JsonArray();
            using (var blob = new FileStream(blobPath, FileMode.CreateNew, FileAccess.Write))
            {
                foreach (var layer in graph.Layers)
                {
                    var name = LayerName(layer.Name);
                    var weights = new JsonArray();
                    foreach (var w in layer.Weights)
                    {
                        if (w.DType != DType.Float32) throw new ArgumentException($"{w.Name}: the zoo creates float32 weights only", nameof(graph));
                        weights.Add(new JsonObject
                        {
                            ["name"] = WeightName(name, w.ShortName),
                            ["offset"] = blob.Position,
                            ["shape"] = new JsonArray(w.Shape.Select(d => (JsonNode)d).ToArray()),
                        });
                        blob.Write(w.Data);
                    }
                    layers.Add(new JsonObject { ["name"] = name, ["weights"] = weights });
                }
            }
            var manifest = new JsonObject
            {
                ["attrs"] = new JsonObject { ["backend"] = Backend, ["keras_version"] = KerasVersion },
                ["blob"] = blobPath,
                ["layers"] = layers,
            };
            var manifestPath = Path.Combine(scratch, "manifest.json");
            File.WriteAllText(manifestPath, manifest.ToJsonString());
            H5Py.RunScript(Path.Combine(AppContext.BaseDirectory, "Zoo", "keras_applications_h5.py"), manifestPath, path);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Keras 2.0 counted automatic names from 1 (<c>conv2d_1</c>), tf.keras counts from 0 (<c>conv2d</c>, <c>conv2d_1</c>).</summary>
    private static string OneBased(string name)
    {
        var m = Regex.Match(name, "^(conv2d|batch_normalization|activation|max_pooling2d|average_pooling2d|concatenate)(?:_(\\d+))?$");
        return m.Success ? $"{m.Groups[1].Value}_{(m.Groups[2].Success ? int.Parse(m.Groups[2].Value) : 0) + 1}" : name;
    }
}
