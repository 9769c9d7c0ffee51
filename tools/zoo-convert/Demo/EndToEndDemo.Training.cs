using Zoo.Models;
using Zoo.FineTune;
using Zoo.FineTune.Callbacks;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Losses;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Training;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.ModelZoo.Applications;

namespace Zoo.Convert.Demo;

internal sealed partial class EndToEndDemo
{
    /// <summary>The model files step 2 writes (stem <c>lenet5_digits</c>).</summary>
    internal const string FullModel = "lenet5_digits.h5", Json = "lenet5_digits.json", Yaml = "lenet5_digits.yaml", Weights = "lenet5_digits_weights.h5";

    private const double LearningRate = 1e-3;

    /// <summary>Step 2: LeNet-5 from the zoo, trained on the plain digits, saved as Keras writes it.</summary>
    private KerasModel Train()
    {
        var graph = LeNet5.Build(new ApplicationOptions { Classes = 10, InputShape = [32, 32, 1], Seed = seed });
        console.Line($"  LeNet-5 from the zoo: {graph.ParameterCount():N0} parameters; Adam({LearningRate}) held for 5 epochs then decayed by e^-0.1 per epoch, early stopping on val_loss (patience 3)");
        return Guarded(KerasModel.FromGraph(graph), model =>
        {
            var stopping = new EarlyStopping(monitor: "val_loss", patience: 3, restoreBestWeights: true);
            var history = console.Fit($"  training for at most {budget.Epochs} epochs, batch {budget.BatchSize}", budget.Epochs, (onBatch, progress) =>
                model.Fit(plainTrain, new FitOptions
                {
                    Epochs = budget.Epochs, BatchSize = budget.BatchSize, ValidationData = plainValidation, Seed = seed, Optimizer = new Adam(LearningRate), OnBatch = onBatch,
                }, new LearningRateScheduler(Schedules.Lecture(LearningRate)), stopping, progress));
            Summary.EpochsRun = history.Epochs.Count;
            Summary.BestEpoch = stopping.BestEpoch + 1;
            SaveHistory(history, "history", "training");
            var accuracy = model.Evaluate(plainValidation, Loss.CategoricalCrossentropy, budget.BatchSize).Accuracy;
            Summary.Accuracy = Summary.Accuracy with { PlainValidation = accuracy };
            console.Line($"  best epoch {Summary.BestEpoch} of {Summary.EpochsRun}: plain validation accuracy {accuracy:P2}");
            if (budget.EnforceAccuracyTargets)
                Summary.Check("plain-digit validation accuracy after training", $"{accuracy:P2}", $"≥ {DemoBudget.PlainAccuracyTarget:P0}", accuracy >= DemoBudget.PlainAccuracyTarget);

            var trained = model.ExportGraph();
            model.Save(PathOf(FullModel));
            KerasFile.Save(trained, PathOf(Json), new SaveOptions { Format = KerasFormat.Json });
            KerasFile.Save(trained, PathOf(Yaml), new SaveOptions { Format = KerasFormat.Yaml });
            KerasFile.Save(trained, PathOf(Weights), new SaveOptions { Format = KerasFormat.H5Weights });
        });
    }
}
