using Zoo.FineTune.Fitting;
using Zoo.FineTune.Freezing;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Tests.Support;
using Zoo.FineTune.Training;

namespace Zoo.FineTune.Tests.Freezing;

/// <summary>A new head replaces the old one and trains on the frozen base.</summary>
public class HeadReplacementTests
{
    [Fact]
    public void A_flatten_head_is_replaced_by_pooling_dropout_and_a_dense_softmax_for_n_classes()
    {
        var graph = HeadReplacer.Replace(TinyModels.Cnn(classes: 10, flattenHead: true), classes: 3, seed: 4);
        var names = graph.Layers.Select(l => l.Name).ToArray();
        Assert.DoesNotContain("flatten", names);
        Assert.DoesNotContain("fc", names);
        Assert.Equal(new[] { "GlobalAveragePooling2D", "Dropout", "Dense" }, graph.Layers.TakeLast(3).Select(l => l.ClassName));
        Assert.Equal(new long[] { 12, 3 }, graph.Layers[^1].Weights[0].Shape);
        using var model = TrainableModel.FromGraph(graph);
        var y = model.Predict(new float[2 * 256], new long[] { 2, 16, 16, 1 });
        Assert.Equal(6, y.Length);
        Assert.Equal(1.0, y[0] + y[1] + y[2], 5);
    }

    [Fact]
    public void The_small_policy_with_a_new_head_learns_the_bars_on_a_frozen_base()
    {
        var data = SyntheticData.Bars(160, seed: 21);
        var (graph, report) = Freezer.Prepare(TinyModels.Cnn(classes: 10),
            new FineTuneOptions { Policy = FreezePolicy.Small, NewHeadClasses = 2, HeadDropout = 0.1, Seed = 5 });
        using var model = TrainableModel.FromGraph(graph, seed: 7);
        var history = model.Fit(data, new FitOptions { Epochs = 12, BatchSize = 16, ValidationSplit = 0.25, Optimizer = new Adam(0.05) });
        Assert.Contains("head: replaced", report.Reasoning[0], StringComparison.Ordinal);
        Assert.True(history["val_accuracy"][^1] >= 0.8, $"val_accuracy {history["val_accuracy"][^1]}");
        Assert.All(WeightBytes.Changed(graph, model.ExportGraph()), k => Assert.StartsWith("dense|", k, StringComparison.Ordinal));
    }
}
