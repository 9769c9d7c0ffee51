using Zoo.FineTune.Callbacks;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Freezing;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Tests.Support;
using Zoo.FineTune.Training;
using Zoo.Formats;
using Zoo.Models;

namespace Zoo.FineTune.Tests.Export;

/// <summary>Fine-tuned models saved as Keras HDF5 reload with their trained weights and flags.</summary>
public sealed class ExportTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("zoo-finetune-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void A_saved_h5_reloads_with_the_trained_weights_trainable_flags_and_the_same_predictions()
    {
        var (graph, _) = Freezer.Prepare(TinyModels.Cnn(), new FineTuneOptions { Policy = FreezePolicy.Medium });
        using var model = TrainableModel.FromGraph(graph, seed: 6);
        var data = SyntheticData.Bars(48, seed: 6);
        model.Fit(data, new FitOptions { Epochs = 2, BatchSize = 16, Optimizer = new Adam(0.01) });
        var path = Path.Combine(dir, "tuned.h5");
        model.Save(path);

        var reloaded = KerasFile.Load(path);
        Assert.Empty(WeightBytes.Changed(model.ExportGraph(), reloaded));
        Assert.NotEmpty(WeightBytes.Changed(graph, reloaded));
        Assert.False(reloaded.GetLayer("s1_conv").Trainable);
        Assert.True(reloaded.GetLayer("s3_conv").Trainable);

        using var runtime = KerasModel.Load(path);
        var expected = model.Predict(data.X, data.XShape);
        var actual = runtime.Predict(data.X, data.XShape);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 6);
    }

    [Fact]
    public void A_saved_keras_archive_reloads_with_the_trained_weights()
    {
        var (graph, _) = Freezer.Prepare(TinyModels.Cnn(), new FineTuneOptions { Policy = FreezePolicy.Large });
        using var model = TrainableModel.FromGraph(graph, seed: 6);
        var data = SyntheticData.Bars(32, seed: 6);
        model.Fit(data, new FitOptions { Epochs = 1, BatchSize = 16, Optimizer = new Sgd(0.05, momentum: 0.9) });
        var path = Path.Combine(dir, "tuned.keras");
        model.Save(path);
        using var runtime = KerasModel.Load(path);
        var expected = model.Predict(data.X, data.XShape);
        var actual = runtime.Predict(data.X, data.XShape);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 6);
    }

    [Fact]
    public void Checkpoint_with_save_best_only_writes_only_on_strict_improvement()
    {
        using var model = TrainableModel.FromGraph(TinyModels.Mlp(), seed: 1);
        var path = Path.Combine(dir, "best.h5");
        var checkpoint = new ModelCheckpoint(path, saveBestOnly: true);
        var recorder = new GraphRecorder();
        model.Fit(SyntheticData.Blobs(16, seed: 1), new FitOptions { Epochs = 5, BatchSize = 4, Optimizer = new Sgd(0.1) },
            new ScriptedLogs("val_loss", 0.9, 0.5, 0.5, 0.7, 0.4), checkpoint, recorder);
        Assert.Equal(new[] { 0, 1, 4 }, checkpoint.SavedEpochs);
        Assert.Empty(WeightBytes.Changed(recorder.Graphs[4], KerasFile.Load(path)));
    }

    [Fact]
    public void Checkpoint_paths_take_the_one_based_epoch_number()
    {
        using var model = TrainableModel.FromGraph(TinyModels.Mlp(), seed: 1);
        var checkpoint = new ModelCheckpoint(Path.Combine(dir, "m-{epoch:02d}.h5"));
        model.Fit(SyntheticData.Blobs(8, seed: 1), new FitOptions { Epochs = 2, BatchSize = 4 }, checkpoint);
        Assert.True(File.Exists(Path.Combine(dir, "m-01.h5")));
        Assert.True(File.Exists(Path.Combine(dir, "m-02.h5")));
    }
}
