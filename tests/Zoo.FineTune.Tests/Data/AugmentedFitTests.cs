using Zoo.FineTune.Data;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Freezing;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Tests.Support;
using Zoo.FineTune.Training;

namespace Zoo.FineTune.Tests.Data;

/// <summary>Fit with an augmenter: batches change per epoch, the frozen-base cache is off, runs stay reproducible.</summary>
public class AugmentedFitTests
{
    /// <summary>Records what Fit handed it, then flips like the real augmenter would.</summary>
    private sealed class Recorder(IBatchAugmenter inner) : IBatchAugmenter
    {
        public List<(int Epoch, long[] Indices)> Calls { get; } = new();

        public void Apply(int epoch, ReadOnlySpan<long> indices, Span<float> batch, ReadOnlySpan<long> sampleShape)
        {
            Calls.Add((epoch, indices.ToArray()));
            inner.Apply(epoch, indices, batch, sampleShape);
        }
    }

    private static (ZooHistory History, bool Cached, Recorder? Seen) Train(bool augment)
    {
        var (graph, _) = Freezer.Prepare(TinyModels.Cnn(), new FineTuneOptions { Policy = FreezePolicy.Small });
        using var model = TrainableModel.FromGraph(graph, seed: 4);
        var recorder = augment ? new Recorder(new ImageAugmenter(new AugmentOptions { HorizontalFlip = true, Shift = 0.1, Seed = 2 })) : null;
        var h = model.Fit(SyntheticData.Bars(24, seed: 1), new FitOptions
        {
            Epochs = 2, BatchSize = 8, ValidationSplit = 0.25, Optimizer = new Adam(0.01), Augmentation = recorder,
        });
        return (new ZooHistory(h), model.UsedFeatureCache, recorder);
    }

    private sealed record ZooHistory(History H)
    {
        public IReadOnlyList<double> Loss => H["loss"];
        public IReadOnlyList<double> ValLoss => H["val_loss"];
    }

    [Fact]
    public void Augmentation_turns_the_frozen_base_cache_off_and_sees_every_training_sample_once_per_epoch()
    {
        var plain = Train(augment: false);
        Assert.True(plain.Cached);
        var augmented = Train(augment: true);
        Assert.False(augmented.Cached);
        var calls = augmented.Seen!.Calls;
        Assert.Equal(new[] { 0, 0, 0, 1, 1, 1 }, calls.Select(c => c.Epoch));
        // 24 samples, the last quarter validates: training samples 0..17, each once an epoch, never a validation one.
        foreach (var epoch in new[] { 0, 1 })
            Assert.Equal(Enumerable.Range(0, 18).Select(i => (long)i), calls.Where(c => c.Epoch == epoch).SelectMany(c => c.Indices).Order());
        Assert.NotEqual(plain.History.Loss, augmented.History.Loss);
    }

    [Fact]
    public void An_augmented_fit_is_reproducible_with_the_same_seeds()
    {
        var a = Train(augment: true);
        var b = Train(augment: true);
        Assert.Equal(a.History.Loss, b.History.Loss);
        Assert.Equal(a.History.ValLoss, b.History.ValLoss);
    }
}
