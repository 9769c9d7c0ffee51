using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Xunit.Abstractions;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Freezing;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Tests.Support;
using Zoo.FineTune.Tests.Transfer;
using Zoo.FineTune.Training;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;
using Zoo.Models;
using Zoo.Models.Tests.CrossCheck;
using Zoo.Models.Tests.Support;

namespace Zoo.FineTune.Tests.CrossCheck;

/// <summary>
/// tfjs-layers, an independent Keras that assigns a nested model's weights by position from its
/// <c>trainable_weights + non_trainable_weights</c> (as tf.keras's loader does), rebuilds Zoo's fine-tuned transfer
/// models — base used as a layer, partly unfrozen — from the saved files and must give Zoo's outputs.
/// </summary>
public class NestedBaseCrossCheckTests(ITestOutputHelper log)
{
    public static TheoryData<string, string> Cases => new()
    {
        { "medium", "nested" },
        { "large", "nested" },
        { "medium", "two_deep" },
        { "medium", "sequential_in_sequential" },
    };

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Tfjs_layers_reproduces_a_fine_tuned_nested_base_model_within_1e5(string policy, string shape)
    {
        Skip.If(NodeCrossCheck.SkipReason is not null, NodeCrossCheck.SkipReason);
        var graph = shape switch
        {
            "two_deep" => TransferModels.TwoDeep(),
            "sequential_in_sequential" => TransferModels.SequentialInSequential(),
            _ => TransferModels.Transfer(),
        };
        var (prepared, report) = Freezer.Prepare(graph, new FineTuneOptions { Policy = Enum.Parse<FreezePolicy>(policy, ignoreCase: true) });
        log.WriteLine(report.ToString());
        using var dir = new TempDir();
        var h5 = dir.File("tuned.h5");
        using (var model = TrainableModel.FromGraph(prepared, seed: 7))
        {
            model.Fit(SyntheticData.Bars(32, seed: 12), new FitOptions { Epochs = 2, BatchSize = 16, Optimizer = new Adam(0.01) });
            model.Save(h5);
        }

        var x = SyntheticData.Bars(6, seed: 99).X;
        File.WriteAllBytes(dir.File("x0.bin"), MemoryMarshal.AsBytes(x.AsSpan()).ToArray());
        float[] zoo;
        using (var loaded = KerasModel.Load(h5)) zoo = loaded.Predict(x, [6, 16, 16, 1], out _);
        var request = new JsonObject
        {
            ["cases"] = new JsonArray(new JsonObject
            {
                ["id"] = "tuned", ["mode"] = "predict", ["file"] = h5,
                ["inputs"] = new JsonArray(new JsonObject { ["file"] = dir.File("x0.bin"), ["shape"] = new JsonArray(6, 16, 16, 1) }),
                ["outDir"] = dir.File("tfjs"),
            }),
        };
        var result = NodeCrossCheck.Run(request, dir.Path)["cases"]![0]!.AsObject();
        Assert.True((bool)result["ok"]!, $"tfjs-layers failed: {result["error"]}");
        var tfjs = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes((string)result["outputs"]![0]!["file"]!)).ToArray();
        float worst = G.MaxAbsDiff(zoo, tfjs);
        log.WriteLine($"tfjs-layers vs Zoo: max abs {worst:E2}; outputs spread {zoo.Max() - zoo.Min():E2}");
        Assert.True(worst <= 1e-5f, $"tfjs-layers vs Zoo: max abs {worst} > 1e-5");
        // Outputs that barely vary would agree vacuously: they must differ by far more than the tolerance.
        Assert.True(zoo.Max() - zoo.Min() > 1e-3f, "the fine-tuned model's outputs do not vary");
    }
}
