using Zoo.FineTune.Fitting;
using Zoo.FineTune.Freezing;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Tests.Support;
using Zoo.FineTune.Training;

namespace Zoo.FineTune.Tests.Freezing;

/// <summary>Each policy trains exactly the weights it should: frozen ones (BN statistics included) stay bit-identical.</summary>
public class FreezePolicyTests
{
    private static readonly ArrayDataset Data = SyntheticData.Bars(64, seed: 11);

    private static (HashSet<string> Changed, FreezeReport Report) TrainUnder(FineTuneOptions options)
    {
        var (graph, report) = Freezer.Prepare(TinyModels.Cnn(), options);
        using var model = TrainableModel.FromGraph(graph, seed: 2);
        model.Fit(Data, new FitOptions { Epochs = 1, BatchSize = 16, Optimizer = new Adam(0.01) });
        return (WeightBytes.Changed(graph, model.ExportGraph()), report);
    }

    private static IEnumerable<string> WeightsOf(params string[] layers)
        => WeightBytes.Of(TinyModels.Cnn()).Keys.Where(k => layers.Contains(k.Split('|')[0]));

    [Fact]
    public void Small_freezes_the_whole_base_including_batch_norm_statistics_and_trains_the_head()
    {
        var (changed, report) = TrainUnder(new FineTuneOptions { Policy = FreezePolicy.Small });
        Assert.Equal(WeightsOf("predictions").ToHashSet(), changed);
        Assert.Contains("s3_bn", report.FrozenLayers);
        Assert.Equal(new[] { "predictions" }, report.TrainableLayers.Where(l => !l.Contains("relu") && l != "gap").ToArray());
    }

    [Fact]
    public void Medium_by_default_trains_the_last_stage_and_the_head_only()
    {
        var (changed, _) = TrainUnder(new FineTuneOptions { Policy = FreezePolicy.Medium });
        Assert.Equal(WeightsOf("s3_conv", "s3_bn", "predictions").ToHashSet(), changed);
    }

    [Fact]
    public void Medium_cut_at_a_named_layer_trains_from_that_layer_on()
    {
        var (changed, _) = TrainUnder(new FineTuneOptions { Policy = FreezePolicy.Medium, Cut = FreezeCut.AtLayer("s2_conv") });
        Assert.Equal(WeightsOf("s2_conv", "s2_bn", "s3_conv", "s3_bn", "predictions").ToHashSet(), changed);
    }

    [Fact]
    public void Medium_cut_by_fraction_moves_to_the_nearest_stage_boundary()
    {
        // 11 base layers in stages of 4, 4, 3: a third (3.7 layers) snaps to the boundary after stage 1.
        var (changed, report) = TrainUnder(new FineTuneOptions { Policy = FreezePolicy.Medium, Cut = FreezeCut.Fraction(1.0 / 3) });
        Assert.Equal(WeightsOf("s2_conv", "s2_bn", "s3_conv", "s3_bn", "predictions").ToHashSet(), changed);
        Assert.Contains(report.Reasoning, r => r.Contains("stage boundary at 4", StringComparison.Ordinal));
    }

    [Fact]
    public void Large_trains_every_weight_and_moves_every_batch_norm_statistic()
    {
        var (changed, _) = TrainUnder(new FineTuneOptions { Policy = FreezePolicy.Large });
        Assert.Equal(WeightBytes.Of(TinyModels.Cnn()).Keys.ToHashSet(), changed);
    }

    [Fact]
    public void Stages_open_at_strides_and_close_at_pooling_layers()
    {
        var graph = TinyModels.Cnn();
        var parts = ModelParts.Of(graph);
        Assert.Equal(new[] { "gap", "predictions" }, parts.Head.Select(l => l.Name));
        Assert.Equal(new[] { 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3 }, parts.Stages(graph));
    }

    [Fact]
    public void Trainable_flags_are_written_into_the_layer_configs()
    {
        var (graph, _) = Freezer.Prepare(TinyModels.Cnn(), new FineTuneOptions { Policy = FreezePolicy.Medium });
        Assert.False(graph.GetLayer("s2_bn").Trainable);
        Assert.True(graph.GetLayer("s3_conv").Trainable);
        Assert.True(graph.GetLayer("predictions").Trainable);
        Assert.False(graph.GetLayer("s1_conv").Config["trainable"]!.GetValue<bool>());
    }

    [Fact]
    public void Auto_explains_its_choice_from_size_and_similarity()
    {
        Assert.Equal(FreezePolicy.Small, AutoPolicy.Choose(500, null, new()).Policy);
        Assert.Equal(FreezePolicy.Medium, AutoPolicy.Choose(500, 0.1, new()).Policy);
        Assert.Equal(FreezePolicy.Medium, AutoPolicy.Choose(5_000, 0.9, new()).Policy);
        Assert.Equal(FreezePolicy.Large, AutoPolicy.Choose(5_000, 0.1, new()).Policy);
        Assert.Equal(FreezePolicy.Large, AutoPolicy.Choose(50_000, null, new()).Policy);
        var (_, report) = Freezer.Prepare(TinyModels.Cnn(), new FineTuneOptions { DatasetSize = 64 });
        Assert.Equal(FreezePolicy.Small, report.Policy);
        Assert.StartsWith("auto: 64 samples < 1,000 is small", report.Reasoning[0], StringComparison.Ordinal);
    }
}
