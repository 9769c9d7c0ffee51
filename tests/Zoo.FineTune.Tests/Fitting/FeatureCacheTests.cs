using Zoo.FineTune.Fitting;
using Zoo.FineTune.Freezing;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Tests.Support;
using Zoo.FineTune.Training;
using Zoo.Formats.Ir;

namespace Zoo.FineTune.Tests.Fitting;

/// <summary>The small policy's feature cache trains the head exactly as running the frozen base every step does.</summary>
public class FeatureCacheTests
{
    private static (ModelGraph Graph, History History, bool Cached) Train(ModelGraph prepared, bool cache)
    {
        using var model = TrainableModel.FromGraph(prepared, seed: 12);
        var h = model.Fit(SyntheticData.Bars(60, seed: 13), new FitOptions
        {
            Epochs = 3, BatchSize = 16, ValidationSplit = 0.2, Optimizer = new Adam(0.02), CacheFrozenBase = cache,
        });
        return (model.ExportGraph(), h, model.UsedFeatureCache);
    }

    [Fact]
    public void The_cached_small_policy_gives_the_same_weights_and_history_as_the_uncached_path()
    {
        var (prepared, _) = Freezer.Prepare(TinyModels.Cnn(classes: 5), new FineTuneOptions { Policy = FreezePolicy.Small, NewHeadClasses = 2, Seed = 1 });
        var cached = Train(prepared, cache: true);
        var plain = Train(prepared, cache: false);
        Assert.True(cached.Cached);
        Assert.False(plain.Cached);
        var a = WeightBytes.Of(cached.Graph);
        var b = WeightBytes.Of(plain.Graph);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var k in a.Keys)
        {
            var x = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(a[k]);
            var y = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(b[k]);
            for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(x[i] - y[i]) <= 1e-6, $"{k}[{i}]: {x[i]} vs {y[i]}");
        }
        for (int e = 0; e < 3; e++) Assert.Equal(plain.History["val_loss"][e], cached.History["val_loss"][e], 5);
    }

    [Fact]
    public void The_cache_is_not_used_when_the_base_trains_or_holds_dropout()
    {
        var (medium, _) = Freezer.Prepare(TinyModels.Cnn(), new FineTuneOptions { Policy = FreezePolicy.Medium });
        Assert.Null(FeatureCache.BaseOutput(medium));
        var (small, _) = Freezer.Prepare(TinyModels.Cnn(), new FineTuneOptions { Policy = FreezePolicy.Small });
        Assert.Equal(("s3_relu", 0), FeatureCache.BaseOutput(small));
        var (dropout, _) = Freezer.Prepare(TinyModels.Cnn(baseDropout: true), new FineTuneOptions { Policy = FreezePolicy.Small });
        Assert.Null(FeatureCache.BaseOutput(dropout));
    }
}
