using Xunit.Abstractions;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;
using Zoo.Models.Tests.Support;
using Zoo.Onnx.Export;
using Zoo.Onnx.Tests.Support;

namespace Zoo.Onnx.Tests.Export;

/// <summary>
/// A pre-trained base used as a layer (issue 14): saved by Zoo in the layout Keras writes, read back, exported to
/// ONNX, run on ONNX Runtime's CPU provider and compared with Zoo's TorchSharp runtime within 1e-5.
/// </summary>
public class NestedModelExportTests(ITestOutputHelper output)
{
    private static ModelGraph SavedAndRead(string name, string fileName, TempDir dir)
    {
        var path = dir.File(fileName);
        KerasFile.Save(NestedModels.All[name](), path);
        return KerasFile.Load(path);
    }

    [Theory]
    [MemberData(nameof(NestedModels.Names), MemberType = typeof(NestedModels))]
    public void A_model_with_a_nested_base_exports_and_ONNX_Runtime_agrees_with_the_runtime_within_1e5(string name)
    {
        using var dir = new TempDir();
        var g = SavedAndRead(name, "model.h5", dir);
        var inputs = NestedModels.Inputs(g);
        var zoo = OnnxParity.Zoo(g, inputs)[0].Data;
        // Softmax outputs that all sit at 0.2 would agree vacuously.
        Assert.True(zoo.Max() - zoo.Min() > 0.05f, $"{name}: the outputs do not vary");
        output.WriteLine($"{name}: max abs error {OnnxParity.AssertAgree(g, inputs):E2}");
    }

    [Theory]
    [MemberData(nameof(NestedModels.Names), MemberType = typeof(NestedModels))]
    public void The_same_model_saved_as_a_Keras_3_archive_exports_and_agrees_within_1e5(string name)
    {
        // Keras 3 numbers a nested Sequential's calls from 0 and a nested Functional's from 1.
        using var dir = new TempDir();
        var g = SavedAndRead(name, "model.keras", dir);
        Assert.Equal(KerasDialectKind.Keras3, g.Metadata.Dialect);
        output.WriteLine($"{name}: max abs error {OnnxParity.AssertAgree(g, NestedModels.Inputs(g)):E2}");
    }

    [Fact]
    public void The_training_false_call_argument_is_kept_in_the_model_and_changes_nothing_in_the_inference_export()
    {
        using var dir = new TempDir();
        var g = SavedAndRead("functional base called with training false", "model.h5", dir);
        Assert.False((bool)g.GetLayer("base").InboundNodes[0].Kwargs["training"]!);
        var without = SavedAndRead("functional base called with training false", "model2.h5", dir);
        without.GetLayer("base").InboundNodes[0].Kwargs.Remove("training");
        var inputs = NestedModels.Inputs(g);
        Assert.Equal(OnnxParity.Ort(without, inputs)[0].Data, OnnxParity.Ort(g, inputs)[0].Data);
    }

    [Fact]
    public void A_base_called_twice_gets_its_nodes_once_per_call_named_by_call()
    {
        var model = OnnxExporter.Export(NestedModels.SharedBase());
        var kernels = model.Graph.Initializer.Select(t => t.Name).Where(n => n.EndsWith("conv1/kernel", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(["base#1/conv1/kernel", "base/conv1/kernel"], kernels);
    }

    [Fact]
    public void A_tensor_naming_a_call_the_nested_model_never_made_is_refused_with_its_saved_nodes()
    {
        var g = NestedModels.TransferLearning();
        g.GetLayer("gap").InboundNodes[0] = new NodeCall([new TensorRef("base", 2)]);
        var e = Assert.Throws<ModelFormatException>(() => OnnxExporter.Export(g));
        Assert.Contains("names node 2 of layer 'base', whose saved calls are nodes 1..1", e.Message);
    }

    [SkippableFact]
    public void A_real_tf_keras_2_9_model_with_InceptionV3_nested_at_node_1_exports_and_agrees_with_the_runtime_within_1e5()
    {
        // tfjs-inceptionv3-boneage: keras.applications InceptionV3 (no top) used as a layer, plus a second input and a
        // dense head. The file has no weight shards, so the zoo's InceptionV3 (the same topology) lends its initialized
        // weights, with He-scaled kernels so that 94 convolutions deep the features still depend on the image.
        var g = KerasFile.Load(Fixtures.Path("tfjs-inceptionv3-boneage/model.json"));
        var inception = g.GetLayer("inception_v3");
        Assert.Equal(1, g.GetLayer("global_average_pooling2d_2").InboundNodes[0].Inputs[0].NodeIndex);
        var zoo = Zoo.Models.ModelZoo.Applications.InceptionV3.Build(new() { IncludeTop = false, InputShape = [224, 224, 3], Seed = 3 });
        // Same topology, other automatic names (conv2d_188 for our conv2d): pair the layers by position.
        int seed = 20;
        foreach (var (theirs, ours) in inception.Nested!.Layers.Zip(zoo.Layers, (a, b) => (a, b)))
            theirs.Weights.AddRange(ours.Weights.Select(w => w.ShortName == "kernel"
                ? G.W(theirs.Name, "kernel", w.Shape, seed++, (float)Math.Sqrt(6.0 / (w.ElementCount() / w.Shape[^1])))
                : w.Rename($"{theirs.Name}/{w.ShortName}:0")));
        long side = (long)g.GetLayer("input_8").Config["batch_input_shape"]![1]!;
        long width = side;
        foreach (var name in new[] { "dense_8", "dense_9", "dense_10", "dense_11" })
        {
            var dense = g.GetLayer(name);
            long units = (long)dense.Config["units"]!;
            long fanIn = name == "dense_9" ? 2048 + width : width; // dense_9 reads the pooled 2048 features beside dense_8
            // He-like scale, so the ReLUs stay alive and the output depends on the image.
            dense.Weights.AddRange([G.W(name, "kernel", [fanIn, units], seed++, (float)(2 / Math.Sqrt(fanIn))), G.W(name, "bias", [units], seed++, 0.1f)]);
            width = units;
        }
        var inputs = new[] { (G.Rand(2 * 224 * 224 * 3, 1, 1f), new long[] { 2, 224, 224, 3 }), (new float[2 * side], new long[] { 2, side }) };
        var y = OnnxParity.Zoo(g, inputs)[0].Data;
        Assert.True(Math.Abs(y[0] - y[1]) > 1e-3 * Math.Max(1, Math.Abs(y[0])), $"two images give {y[0]} and {y[1]}: the output does not depend on the image");
        output.WriteLine($"boneage (InceptionV3 nested at node 1): outputs {y[0]:G4}, {y[1]:G4}; max abs error {OnnxParity.AssertAgree(g, inputs):E2}");
    }
}
