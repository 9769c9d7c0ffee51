using Zoo.FineTune.Fitting;
using Zoo.FineTune.Freezing;
using Zoo.FineTune.Losses;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Tests.Support;
using Zoo.FineTune.Training;
using Zoo.Formats;
using Zoo.Formats.Tests.Support;
using Zoo.Models;

namespace Zoo.FineTune.Tests.Export;

/// <summary>Fine-tuning a model that real Keras wrote (from ../shared/fixtures; skipped when absent).</summary>
public sealed class RealModelTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("zoo-finetune-real-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [SkippableFact]
    public void Keras_2_cnn_with_batch_norm_fine_tunes_its_head_and_round_trips_through_h5()
    {
        var original = KerasFile.Load(Fixtures.Path("dl4j-test-resources/cnn_batch_norm.h5"));
        var (graph, report) = Freezer.Prepare(original, new FineTuneOptions { Policy = FreezePolicy.Small });
        Assert.Contains("batch_normalization_1", report.FrozenLayers);
        var rng = new Random(3);
        var x = Enumerable.Range(0, 20 * 10 * 10 * 3).Select(_ => (float)rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 20).Select(i => (float)(i % 2)).ToArray();
        var data = new ArrayDataset(x, new long[] { 20, 10, 10, 3 }, y, new long[] { 20, 1 });

        using var model = TrainableModel.FromGraph(graph, seed: 1);
        var history = model.Fit(data, new FitOptions { Epochs = 3, BatchSize = 5, Loss = Loss.MeanSquaredError, Optimizer = new Adam(0.01) });
        Assert.True(history["loss"][^1] < history["loss"][0], $"loss {string.Join(", ", history["loss"])}");

        var path = Path.Combine(dir, "cnn_tuned.h5");
        model.Save(path);
        var reloaded = KerasFile.Load(path);
        var changed = WeightBytes.Changed(original, reloaded);
        Assert.NotEmpty(changed);
        Assert.All(changed, k => Assert.StartsWith("dense_1|", k, StringComparison.Ordinal));
        Assert.Equal("mean_squared_error", reloaded.TrainingConfig!["loss"]!.GetValue<string>());
        Assert.Equal("Custom>Adam", reloaded.TrainingConfig["optimizer_config"]!["class_name"]!.GetValue<string>());

        using var runtime = KerasModel.Load(path);
        var expected = model.Predict(x, data.XShape);
        var actual = runtime.Predict(x, data.XShape);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 6);
    }
}
