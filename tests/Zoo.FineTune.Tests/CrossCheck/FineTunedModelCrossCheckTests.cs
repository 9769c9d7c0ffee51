using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Xunit.Abstractions;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Freezing;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Tests.Support;
using Zoo.FineTune.Training;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;
using Zoo.Models;
using Zoo.Models.Tests.CrossCheck;
using Zoo.Models.Tests.Support;

namespace Zoo.FineTune.Tests.CrossCheck;

/// <summary>
/// The fine-tuning issue's independent check: a model Zoo fine-tuned (frozen early stages, trained last stage
/// with BatchNormalization and LayerNormalization, Dropout, a replaced head) is saved as Keras HDF5, and
/// tfjs-layers (an implementation that shares nothing with Zoo) rebuilds it from the saved config and weights
/// and must give Zoo's outputs on the same inputs.
/// </summary>
public class FineTunedModelCrossCheckTests(ITestOutputHelper log)
{
    /// <summary>The test project's tiny CNN with a LayerNormalization between the last stage and the pooling.</summary>
    private static ModelGraph CnnWithLayerNorm()
    {
        var g = TinyModels.Cnn(classes: 10, seed: 3, baseDropout: true);
        var config = (JsonObject)JsonNode.Parse("{\"name\": \"s3_ln\", \"trainable\": true, \"dtype\": \"float32\", \"axis\": [3], \"epsilon\": 0.001, \"center\": true, \"scale\": true}")!;
        var ln = new LayerNode("LayerNormalization", "s3_ln", config);
        ln.InboundNodes.Add(new NodeCall(new[] { new TensorRef("s3_relu") }));
        ln.Weights.Add(WeightTensor.FromFloat32("s3_ln/gamma:0", new long[] { 12 }, Enumerable.Repeat(1f, 12).ToArray()));
        ln.Weights.Add(WeightTensor.FromFloat32("s3_ln/beta:0", new long[] { 12 }, new float[12]));
        int gap = g.Layers.FindIndex(l => l.Name == "gap");
        g.Layers[gap].InboundNodes[0] = new NodeCall(new[] { new TensorRef("s3_ln") });
        g.Layers.Insert(gap, ln);
        return g;
    }

    private static float[] Floats(ModelGraph g, string layer, string weight)
        => g.Layers.Single(l => l.Name == layer).Weights.Single(w => w.ShortName == weight).ToFloat32();

    [SkippableFact]
    public void Tfjs_layers_rebuilds_a_Zoo_fine_tuned_model_from_its_saved_config_and_reproduces_its_outputs_within_1e5()
    {
        Skip.If(NodeCrossCheck.SkipReason is not null, NodeCrossCheck.SkipReason);
        var (prepared, report) = Freezer.Prepare(CnnWithLayerNorm(),
            new FineTuneOptions { Policy = FreezePolicy.Medium, Cut = FreezeCut.AtLayer("s3_conv"), NewHeadClasses = 2, HeadDropout = 0.3, Seed = 5 });
        log.WriteLine(report.ToString());
        Assert.Contains("s3_bn", report.TrainableLayers);
        Assert.Contains("s3_ln", report.TrainableLayers);
        Assert.Contains("s1_bn", report.FrozenLayers);

        using var dir = new TempDir();
        var h5 = dir.File("fine_tuned.h5");
        using (var model = TrainableModel.FromGraph(prepared, seed: 7))
        {
            var history = model.Fit(SyntheticData.Bars(48, seed: 12), new FitOptions { Epochs = 2, BatchSize = 16, Optimizer = new Adam(0.01) });
            log.WriteLine($"loss per epoch: {string.Join(", ", history["loss"].Select(l => l.ToString("F4")))}");
            model.Save(h5);
        }

        // The fine-tuning really moved what tfjs must reproduce: trained BN statistics, LN affine, the new head.
        var tuned = Zoo.Formats.KerasFile.Load(h5);
        Assert.NotEqual(Floats(prepared, "s3_bn", "moving_mean"), Floats(tuned, "s3_bn", "moving_mean"));
        Assert.NotEqual(Floats(prepared, "s3_ln", "gamma"), Floats(tuned, "s3_ln", "gamma"));
        Assert.Equal(Floats(prepared, "s1_bn", "moving_mean"), Floats(tuned, "s1_bn", "moving_mean"));
        Assert.Contains(tuned.Layers, l => l.ClassName == "Dropout" && l.Name != "s1_drop");

        var x = SyntheticData.Bars(6, seed: 99).X;
        long[] shape = { 6, 16, 16, 1 };
        File.WriteAllBytes(dir.File("x0.bin"), MemoryMarshal.AsBytes(x.AsSpan()).ToArray());
        float[] zoo;
        using (var loaded = KerasModel.Load(h5)) zoo = loaded.Predict(x, shape, out _);

        var request = new JsonObject
        {
            ["cases"] = new JsonArray(new JsonObject
            {
                ["id"] = "fine_tuned", ["mode"] = "predict", ["file"] = h5,
                ["inputs"] = new JsonArray(new JsonObject { ["file"] = dir.File("x0.bin"), ["shape"] = new JsonArray(6, 16, 16, 1) }),
                ["outDir"] = dir.File("tfjs"),
            }),
        };
        var result = NodeCrossCheck.Run(request, dir.Path)["cases"]![0]!.AsObject();
        Assert.True((bool)result["ok"]!, $"tfjs-layers failed: {result["error"]}");
        var output = result["outputs"]![0]!.AsObject();
        Assert.Equal(new long[] { 6, 2 }, output["shape"]!.AsArray().Select(d => (long)d!).ToArray());
        var tfjs = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes((string)output["file"]!)).ToArray();
        float worst = G.MaxAbsDiff(zoo, tfjs);
        log.WriteLine($"tfjs-layers vs Zoo on the fine-tuned model: max abs {worst:E2}; outputs {string.Join(", ", zoo.Take(4).Select(v => v.ToString("F4")))}");
        Assert.True(worst <= 1e-5f, $"tfjs-layers vs Zoo: max abs {worst} > 1e-5");
        // Softmax outputs that all sit at 0.5 would agree vacuously.
        Assert.True(zoo.Max() - zoo.Min() > 0.05f, "the fine-tuned model's outputs do not vary");
    }
}
