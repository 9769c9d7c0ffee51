using Zoo.Models;
using Zoo.FineTune;
using Zoo.FineTune.Callbacks;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Freezing;
using Zoo.FineTune.Losses;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Training;

namespace Zoo.Convert.Demo;

internal sealed partial class EndToEndDemo
{
    /// <summary>
    /// The fine-tuning rate: higher than the first training's, because only the head trains (on cached base
    /// features, so epochs are cheap) and an inverted input flips the sign of what the tanh base computes.
    /// </summary>
    private const double FineTuneLearningRate = 3e-3;

    /// <summary>
    /// Step 4: the trained model meets the shifted domain. The Small policy freezes the convolutional base and
    /// trains the head on a few hundred shifted digits; accuracy on held-out shifted digits is measured before and after.
    /// </summary>
    private KerasModel FineTune(KerasModel trained)
    {
        var before = trained.Evaluate(shiftedTest, Loss.CategoricalCrossentropy, budget.BatchSize).Accuracy;
        var (graph, report) = Freezer.Prepare(trained.ExportGraph(), new FineTuneOptions { Policy = FreezePolicy.Small });
        foreach (var line in report.Reasoning) console.Line($"  {line}");
        Summary.FineTunedLayers = report.TrainableLayers.ToList();
        return Guarded(KerasModel.FromGraph(graph), model =>
        {
            var history = console.Fit($"  fine-tuning on {shiftedTrain.Count:N0} {Summary.Domain} digits for at most {budget.FineTuneEpochs} epochs", budget.FineTuneEpochs,
                (onBatch, progress) => model.Fit(shiftedTrain, new FitOptions
                {
                    Epochs = budget.FineTuneEpochs, BatchSize = budget.BatchSize, ValidationData = shiftedValidation, Seed = seed, Optimizer = new Adam(FineTuneLearningRate), OnBatch = onBatch,
                }, new LearningRateScheduler(Schedules.Lecture(FineTuneLearningRate)), new EarlyStopping(monitor: "val_loss", patience: 3, restoreBestWeights: true), progress));
            Summary.FineTuneEpochsRun = history.Epochs.Count;
            SaveHistory(history, "finetune_history", "fine-tuning");
            var after = model.Evaluate(shiftedTest, Loss.CategoricalCrossentropy, budget.BatchSize).Accuracy;
            var plainAfter = model.Evaluate(plainValidation, Loss.CategoricalCrossentropy, budget.BatchSize).Accuracy;
            Summary.Accuracy = Summary.Accuracy with { ShiftedBefore = before, ShiftedAfter = after, PlainAfterFineTune = plainAfter };
            console.Line($"  {Summary.Domain} digits (held out): {before:P2} before, {after:P2} after; plain digits after: {plainAfter:P2}");
            Summary.Check($"{Summary.Domain}-digit accuracy improves with fine-tuning", $"{before:P2} → {after:P2}", "after > before", after > before);
            if (budget.EnforceAccuracyTargets)
                Summary.Check($"{Summary.Domain}-digit accuracy after fine-tuning", $"{after:P2}", $"≥ {DemoBudget.ShiftedAccuracyTarget:P0}", after >= DemoBudget.ShiftedAccuracyTarget);
        });
    }
}
