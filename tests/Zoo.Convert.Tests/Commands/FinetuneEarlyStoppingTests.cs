using Zoo.Convert.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

/// <summary>
/// finetune --early-stopping says what it does: a monitor that will not be logged is named before training with the
/// names that will be, stopping and restoring are reported, and the saved epoch is stated beside the best one.
/// </summary>
public sealed class FinetuneEarlyStoppingTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("zoo-early-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private CliRunner.Result Run(string early, params string[] more)
    {
        var (x, y) = FinetuneFiles.Arrays(dir, n: 24, classes: 3, seed: 1);
        return CliRunner.Run(["finetune", "-m", "lenet5", "--x", x, "--y", y, "--classes", "3", "--policy", "large", "--epochs", "6",
            "--batch-size", "8", "--optimizer", "sgd", "--lr", "0.05", "--early-stopping", early, "--output", Path.Combine(dir, "t.h5"), .. more]);
    }

    [Fact]
    public void Monitoring_val_loss_without_validation_data_warns_before_the_first_epoch_and_lists_what_is_logged()
    {
        var r = Run("monitor=val_loss,patience=1");
        Assert.True(r.Code == 0, r.Err);
        var lines = r.Out.Split('\n');
        int warning = Array.FindIndex(lines, l => l.StartsWith("warning: early stopping monitors 'val_loss', which is not logged", StringComparison.Ordinal));
        int firstEpoch = Array.FindIndex(lines, l => l.StartsWith("epoch 1/6", StringComparison.Ordinal));
        Assert.True(warning >= 0 && warning < firstEpoch, r.Out);
        Assert.Contains("need validation data", lines[warning]);
        Assert.Contains("available: loss, accuracy, learning_rate", lines[warning]);
        Assert.Contains("epoch 6/6", r.Out);   // it could not stop early
    }

    [Fact]
    public void A_misspelled_monitor_is_named_with_the_closest_logged_name()
    {
        var r = Run("monitor=val_acuracy,patience=1", "--validation-split", "0.25");
        Assert.True(r.Code == 0, r.Err);
        var warning = r.Out.Split('\n').Single(l => l.StartsWith("warning: early stopping", StringComparison.Ordinal));
        Assert.Contains("available: loss, accuracy, val_loss, val_accuracy, learning_rate", warning);
        Assert.Contains("Did you mean 'val_accuracy'?", warning);
    }

    [Fact]
    public void Stopping_and_restoring_are_reported_and_the_saved_epoch_is_the_printed_best()
    {
        // min_delta=10 means no epoch after the first improves: training stops after epoch 2 and epoch 1 is the best.
        var r = Run("monitor=val_loss,patience=1,min_delta=10,restore_best_weights=true", "--validation-split", "0.25");
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("early stopping: stopped after epoch 2: val_loss did not improve for 1 epoch", r.Out);
        Assert.Contains("early stopping: restored the weights of the best epoch 1", r.Out);
        Assert.Contains("best epoch: 1 (val_loss ", r.Out);
        Assert.Contains("saved: the weights of epoch 1, the best (restored by early stopping)", r.Out);
    }

    [Fact]
    public void Without_restoring_the_summary_says_the_saved_weights_are_the_last_epochs_not_the_best()
    {
        var r = Run("monitor=val_loss,patience=1,min_delta=10", "--validation-split", "0.25");
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("early stopping: the model keeps the weights of the last epoch 2; the best val_loss", r.Out);
        Assert.Contains("best epoch: 1 (val_loss ", r.Out);
        Assert.Contains("saved: the weights of the last epoch 2, not of the best epoch 1", r.Out);
    }
}
