using System.Diagnostics;
using Zoo.FineTune.Callbacks;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Freezing;
using Zoo.FineTune.Training;
using Zoo.Formats;
using Zoo.Formats.Ir;

namespace Zoo.FineTune.Tuning;

/// <summary>
/// Trains a trial as a fine-tuning run: a new head (<c>dropout</c>) and the trial's freezing policy on the base
/// model (<see cref="Freezer.Prepare"/>), or — for a promoted trial — its parent's checkpoint; then
/// <see cref="TrainableModel.Fit(Zoo.FineTune.Fitting.ArrayDataset, Zoo.FineTune.Fitting.FitOptions?, Zoo.FineTune.Callbacks.Callback[])"/> from epoch <c>tuner/initial_epoch</c> to <c>tuner/epochs</c> with the trial's
/// optimizer, batch size and schedule, and <see cref="EarlyStopping"/> on the objective (restoring the best
/// epoch's weights, which are what the checkpoint keeps, as Keras Tuner keeps each trial's best epoch).
/// </summary>
public sealed class FineTuneTrialRunner : ITrialRunner
{
    private static readonly string[] Metrics = { "loss", "accuracy", "val_loss", "val_accuracy" };
    private readonly ModelGraph baseModel;
    private readonly ArrayDataset train;
    private readonly ArrayDataset? validation;
    private readonly Objective objective;

    /// <summary>A runner for <paramref name="baseModel"/> on <paramref name="train"/>, validated on <paramref name="validation"/>.</summary>
    /// <exception cref="UnsupportedFeatureException">The objective is not a metric <c>Fit</c> logs, or needs validation data that is absent.</exception>
    public FineTuneTrialRunner(ModelGraph baseModel, ArrayDataset train, ArrayDataset? validation, int classes, Objective objective, int seed, int patience = 3, int maxEpochs = 10)
    {
        if (!Metrics.Contains(objective.Name))
            throw new UnsupportedFeatureException($"monitor: expected one of {string.Join(", ", Metrics)} (what Fit logs), found '{objective.Name}'");
        if (objective.Name.StartsWith("val_", StringComparison.Ordinal) && validation is null)
            throw new UnsupportedFeatureException($"monitor: '{objective.Name}' needs validation data, and there is none");
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        (this.baseModel, this.train, this.validation, this.objective) = (baseModel, train, validation, objective);
        (Classes, Seed, Patience, MaxEpochs) = (classes, seed, patience, maxEpochs);
    }

    /// <summary>Classes of the new head.</summary>
    public int Classes { get; }

    /// <summary>Whether trials may freeze a base whose weights were only initialized.</summary>
    public bool AllowRandomBase { get; init; }

    /// <summary>The search seed; trial i trains with seed <c>Seed + i</c> (head weights, dropout masks, shuffling).</summary>
    public int Seed { get; }

    /// <summary>Early-stopping patience in epochs.</summary>
    public int Patience { get; }

    /// <summary>The search's largest epoch count (the length of a cosine schedule).</summary>
    public int MaxEpochs { get; }

    /// <inheritdoc/>
    public TrialResult Run(Trial trial, string checkpoint, string? parentCheckpoint, Action<int, IReadOnlyDictionary<string, double>>? onEpoch, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var hp = TrialHyperparameters.From(trial.Values);
        int seed = unchecked(Seed + trial.Index);
        var graph = parentCheckpoint is not null
            ? KerasFile.Load(parentCheckpoint)
            : Freezer.Prepare(baseModel, new FineTuneOptions
            {
                Policy = hp.Policy, Cut = hp.Cut, DatasetSize = train.Count, NewHeadClasses = Classes, HeadDropout = hp.Dropout, Seed = seed,
                AllowRandomBase = AllowRandomBase,
            }).Graph;
        using var model = TrainableModel.FromGraph(graph, seed);
        var callbacks = new List<Callback>();
        if (hp.CreateSchedule(MaxEpochs) is { } schedule)
            callbacks.Add(new LearningRateScheduler((e, lr) => schedule(e + trial.InitialEpoch, lr)));
        var stopping = new EarlyStopping(objective.Name, patience: Patience, mode: objective.Maximize ? MonitorMode.Max : MonitorMode.Min, restoreBestWeights: true);
        callbacks.Add(stopping);
        callbacks.Add(new EpochHook((e, logs) =>
        {
            onEpoch?.Invoke(e + trial.InitialEpoch, new Dictionary<string, double>(logs));
            cancel.ThrowIfCancellationRequested();
        }));
        var history = model.Fit(train, new FitOptions
        {
            Epochs = trial.Epochs - trial.InitialEpoch, BatchSize = hp.BatchSize, ValidationData = validation, Optimizer = hp.CreateOptimizer(),
        }, callbacks.ToArray());
        var metrics = history.Values.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        var series = metrics.TryGetValue(objective.Name, out var s) ? s : Array.Empty<double>();
        int best = -1;
        for (int i = 0; i < series.Length; i++)
            if (double.IsFinite(series[i]) && (best < 0 || objective.Better(series[i], series[best]))) best = i;
        model.Save(checkpoint);
        return best < 0
            ? new TrialResult(TrialStatus.Failed, null, null, series.Length, clock.Elapsed.TotalSeconds, metrics, $"'{objective.Name}' never had a finite value")
            : new TrialResult(TrialStatus.Completed, series[best], trial.InitialEpoch + best, series.Length, clock.Elapsed.TotalSeconds, metrics);
    }

    private sealed class EpochHook(Action<int, IDictionary<string, double>> hook) : Callback
    {
        public override void OnEpochEnd(int epoch, IDictionary<string, double> logs, TrainingContext context) => hook(epoch, logs);
    }
}
