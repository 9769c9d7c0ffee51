using System.Text.Json.Nodes;
using Zoo.FineTune.Data;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Tuning;
using Zoo.Formats;
using Zoo.Formats.Tests.Support;
using Zoo.Models.ModelZoo.Applications;

namespace Zoo.FineTune.Tests.Tuning;

/// <summary>Searches that really train: LeNet-5 from the zoo on small 16×16 synthetic digits.</summary>
public sealed class FineTuneSearchTests : IDisposable
{
    private readonly TempDir dir = new();

    private static ArrayDataset Digits(int n) => SyntheticDigits.Generate(n, seed: 4, new SyntheticDigitsOptions { Size = 16 });

    private static Zoo.Formats.Ir.ModelGraph LeNet() => LeNet5.Build(new ApplicationOptions { Classes = 10, InputShape = [16, 16, 1], Seed = 2 }, modern: true);

    private static TuneOptions Options => new()
    {
        Strategy = SearchStrategy.Random, MaxTrials = 3, MaxEpochs = 1, Classes = 10, Seed = 9, Patience = 1, Baseline = false, AllowRandomBase = true,
        Space = SearchSpace.Parse("lr=1e-3..3e-2:log,batch-size=16|32,optimizer=adam|rmsprop,policy=large|medium"),
    };

    /// <summary>The log without wall times, which are the one thing allowed to differ between runs.</summary>
    private static string[] Timeless(string folder)
        => File.ReadAllLines(Path.Combine(folder, TrialLog.FileName)).Select(l =>
        {
            var o = JsonNode.Parse(l)!.AsObject();
            o.Remove("seconds");
            return o.ToJsonString();
        }).ToArray();

    [Fact]
    public void A_seeded_search_cancelled_after_two_trials_resumes_and_ends_bit_identical_to_an_uninterrupted_run()
    {
        var data = Digits(60);
        var whole = new FineTuneSearch(LeNet(), data, dir.File("whole"), Options).Run();
        Assert.Equal(3, whole.Trials.Count);
        Assert.All(whole.Trials, t => Assert.Equal(TrialStatus.Completed, t.Result.Status));

        using var cancel = new CancellationTokenSource();
        var first = new Counting(cancelAfter: 2, cancel);
        var stopped = new FineTuneSearch(LeNet(), data, dir.File("resumed"), Options).Run(first, cancel.Token);
        Assert.Equal(StopReason.Cancelled, stopped.Reason);
        Assert.Equal(new[] { "0", "1" }, first.Trained);

        var second = new Counting(cancelAfter: int.MaxValue, null);
        var resumed = new FineTuneSearch(LeNet(), data, dir.File("resumed"), Options).Run(second);
        Assert.Equal(new[] { "2" }, second.Trained);
        Assert.Equal(new[] { "0", "1" }, second.Replayed);
        Assert.Equal(Timeless(dir.File("whole")), Timeless(dir.File("resumed")));
        Assert.Equal(whole.Best!.Trial.Id, resumed.Best!.Trial.Id);

        var best = dir.File("best.h5");
        new FineTuneSearch(LeNet(), data, dir.File("resumed"), Options).SaveBest(resumed, best);
        var saved = KerasFile.Load(best);
        Assert.Equal(10, saved.Layers.Single(l => l.ClassName == "Dense").Weights[1].Shape[0]);
        foreach (var name in new[] { "trials.json", "trials.csv", "scores.png" }) Assert.True(File.Exists(Path.Combine(dir.File("resumed"), name)), name);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(dir.File("resumed"), "trials.csv")).Length);
    }

    [Fact]
    public void A_promoted_trial_starts_from_its_parents_best_weights_at_its_initial_epoch()
    {
        var (train, validation) = Digits(60).SplitForValidation(0.2);
        var runner = new FineTuneTrialRunner(LeNet(), train, validation, 10, Objective.Parse("val_loss"), seed: 3, patience: 2);
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["lr"] = "0.01", ["policy"] = "large" };
        var parent = new Trial("0", 0, values, 0, 2, Bracket: 1, Round: 0);
        var parentResult = runner.Run(parent, dir.File("parent.h5"), null, null, default);
        // A learning rate far below float32 resolution leaves the weights as loaded, so the child's first epoch
        // validates exactly the parent's best weights.
        var frozenValues = new SortedDictionary<string, string>(values, StringComparer.Ordinal) { ["lr"] = "1e-30" };
        var child = new Trial("1", 1, frozenValues, 2, 3, ParentId: "0", Bracket: 1, Round: 1);
        var childEpochs = new List<int>();
        var childResult = runner.Run(child, dir.File("child.h5"), dir.File("parent.h5"), (e, _) => childEpochs.Add(e), default);
        Assert.Equal(new[] { 2 }, childEpochs);
        Assert.Equal(2, childResult.BestEpoch);
        Assert.Equal(parentResult.Score, childResult.Metrics["val_loss"][0]);

        var fresh = runner.Run(child with { ParentId = null }, dir.File("fresh.h5"), null, null, default);
        Assert.NotEqual(parentResult.Score, fresh.Metrics["val_loss"][0]);
    }

    private sealed class Counting(int cancelAfter, CancellationTokenSource? cancel) : ITuningObserver
    {
        public List<string> Trained { get; } = new();
        public List<string> Replayed { get; } = new();

        public void TrialEnded(Trial trial, TrialResult result, bool replayed)
        {
            (replayed ? Replayed : Trained).Add(trial.Id);
            if (Trained.Count >= cancelAfter) cancel?.Cancel();
        }
    }

    public void Dispose() => dir.Dispose();
}
