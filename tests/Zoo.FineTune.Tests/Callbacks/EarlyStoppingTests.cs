using Zoo.FineTune.Callbacks;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Tests.Support;
using Zoo.FineTune.Training;

namespace Zoo.FineTune.Tests.Callbacks;

/// <summary>EarlyStopping on scripted metric sequences: the epoch it stops at and the weights it restores.</summary>
public class EarlyStoppingTests
{
    private static (History History, EarlyStopping Stop) Run(double[] sequence, EarlyStopping stop, GraphRecorder? recorder = null, string key = "val_loss")
    {
        using var model = TrainableModel.FromGraph(TinyModels.Mlp(), seed: 3);
        var data = SyntheticData.Blobs(32, seed: 5);
        var callbacks = new List<Callback> { new ScriptedLogs(key, sequence), stop };
        if (recorder is not null) callbacks.Add(recorder);
        var history = model.Fit(data, new FitOptions { Epochs = sequence.Length, BatchSize = 8, Optimizer = new Sgd(0.1) }, callbacks.ToArray());
        return (history, stop);
    }

    [Fact]
    public void Patience_two_stops_after_two_epochs_without_improvement()
    {
        var (h, stop) = Run(new[] { 1.0, 0.8, 0.9, 0.85, 0.7, 0.6 }, new EarlyStopping(patience: 2));
        Assert.Equal(new[] { 0, 1, 2, 3 }, h.Epochs);
        Assert.Equal(3, stop.StoppedEpoch);
        Assert.Equal(1, stop.BestEpoch);
    }

    [Fact]
    public void An_improvement_smaller_than_min_delta_does_not_count()
    {
        var (h, stop) = Run(new[] { 1.0, 0.95, 0.91, 0.5, 0.4 }, new EarlyStopping(minDelta: 0.1, patience: 2));
        Assert.Equal(2, stop.StoppedEpoch);
        Assert.Equal(3, h.Epochs.Count);
    }

    [Fact]
    public void Patience_zero_stops_at_the_first_epoch_without_improvement_but_never_at_epoch_zero()
    {
        var (h, _) = Run(new[] { 1.0, 1.0, 0.5 }, new EarlyStopping(patience: 0));
        Assert.Equal(2, h.Epochs.Count);
    }

    [Fact]
    public void Max_mode_is_chosen_automatically_for_accuracy()
    {
        var (h, stop) = Run(new[] { 0.5, 0.6, 0.55, 0.58, 0.9 }, new EarlyStopping(monitor: "val_accuracy", patience: 2), key: "val_accuracy");
        Assert.Equal(3, stop.StoppedEpoch);
        Assert.Equal(4, h.Epochs.Count);
    }

    [Fact]
    public void Epochs_before_start_from_epoch_are_ignored()
    {
        var (h, stop) = Run(new[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6 }, new EarlyStopping(patience: 1, startFromEpoch: 3));
        Assert.Equal(4, stop.StoppedEpoch);
        Assert.Equal(5, h.Epochs.Count);
    }

    [Fact]
    public void A_baseline_not_beaten_keeps_the_first_epoch_counting_toward_patience()
    {
        var (withBaseline, stopA) = Run(new[] { 1.0, 1.0, 1.0, 1.0 }, new EarlyStopping(patience: 2, baseline: 0.5));
        var (without, stopB) = Run(new[] { 1.0, 1.0, 1.0, 1.0 }, new EarlyStopping(patience: 2));
        Assert.Equal(1, stopA.StoppedEpoch);
        Assert.Equal(2, stopB.StoppedEpoch);
        Assert.Equal(2, withBaseline.Epochs.Count);
        Assert.Equal(3, without.Epochs.Count);
    }

    [Fact]
    public void Steady_improvement_never_stops_even_below_the_baseline()
    {
        var (h, stop) = Run(new[] { 1.0, 0.9, 0.8, 0.7, 0.6 }, new EarlyStopping(patience: 2, baseline: 0.5));
        Assert.Equal(0, stop.StoppedEpoch);
        Assert.Equal(5, h.Epochs.Count);
    }

    [Fact]
    public void Restore_best_weights_puts_back_the_best_epochs_weights()
    {
        var recorder = new GraphRecorder();
        using var model = TrainableModel.FromGraph(TinyModels.Mlp(), seed: 3);
        var stop = new EarlyStopping(patience: 2, restoreBestWeights: true);
        model.Fit(SyntheticData.Blobs(32, seed: 5), new FitOptions { Epochs = 6, BatchSize = 8, Optimizer = new Sgd(0.1) },
            new ScriptedLogs("val_loss", 1.0, 0.5, 0.9, 0.8, 0.1, 0.1), stop, recorder);
        Assert.Equal(3, stop.StoppedEpoch);
        var final = model.ExportGraph();
        Assert.Empty(WeightBytes.Changed(recorder.Graphs[1], final));
        Assert.NotEmpty(WeightBytes.Changed(recorder.Graphs[3], final));
    }

    [Fact]
    public void A_monitor_that_is_never_logged_is_reported_once_with_the_logged_names_as_Keras_warns()
    {
        var messages = new List<string>();
        using var model = TrainableModel.FromGraph(TinyModels.Mlp(), seed: 3);
        var stop = new EarlyStopping("val_los", patience: 1);
        model.Fit(SyntheticData.Blobs(32, seed: 5), new FitOptions { Epochs = 3, BatchSize = 8, Optimizer = new Sgd(0.1), ValidationSplit = 0.25, OnMessage = messages.Add }, stop);
        var warning = Assert.Single(messages);
        Assert.Contains("'val_los', which is not logged", warning);
        Assert.Contains("available: loss, accuracy, val_loss, val_accuracy", warning);
        Assert.Equal(0, stop.StoppedEpoch);
    }

    [Fact]
    public void Stopping_and_restoring_are_reported_with_epochs_counted_from_one()
    {
        var messages = new List<string>();
        using var model = TrainableModel.FromGraph(TinyModels.Mlp(), seed: 3);
        var stop = new EarlyStopping(patience: 2, restoreBestWeights: true);
        model.Fit(SyntheticData.Blobs(32, seed: 5), new FitOptions { Epochs = 6, BatchSize = 8, Optimizer = new Sgd(0.1), OnMessage = messages.Add },
            new ScriptedLogs("val_loss", 1.0, 0.5, 0.9, 0.8, 0.1, 0.1), stop);
        Assert.Equal(["early stopping: stopped after epoch 4: val_loss did not improve for 2 epochs (best 0.5 at epoch 2)",
            "early stopping: restored the weights of the best epoch 2 (val_loss 0.5)"], messages);
        Assert.Equal(1, stop.WeightsEpoch);
    }

    [Fact]
    public void Without_restoring_the_callback_says_the_model_keeps_the_last_epoch_when_another_was_best()
    {
        var messages = new List<string>();
        using var model = TrainableModel.FromGraph(TinyModels.Mlp(), seed: 3);
        var stop = new EarlyStopping(patience: 2);
        model.Fit(SyntheticData.Blobs(32, seed: 5), new FitOptions { Epochs = 6, BatchSize = 8, Optimizer = new Sgd(0.1), OnMessage = messages.Add },
            new ScriptedLogs("val_loss", 1.0, 0.5, 0.9, 0.8, 0.1, 0.1), stop);
        Assert.Contains("early stopping: the model keeps the weights of the last epoch 4; the best val_loss (0.5) was at epoch 2 (restore_best_weights=true keeps that epoch's weights)", messages);
        Assert.Equal(3, stop.WeightsEpoch);
    }

    [Fact]
    public void Checking_the_monitor_before_training_names_what_is_missing_and_silences_the_epoch_warning()
    {
        var stop = new EarlyStopping("val_loss");
        Assert.Null(new EarlyStopping("loss").CheckMonitor(["loss", "accuracy"]));
        Assert.Contains("val_ values need validation data", stop.CheckMonitor(["loss", "accuracy"]));
        var messages = new List<string>();
        using var model = TrainableModel.FromGraph(TinyModels.Mlp(), seed: 3);
        model.Fit(SyntheticData.Blobs(32, seed: 5), new FitOptions { Epochs = 2, BatchSize = 8, Optimizer = new Sgd(0.1), OnMessage = messages.Add }, stop);
        Assert.Empty(messages);
    }
}
