using Zoo.FineTune.Tuning;
using Zoo.Formats;
using Zoo.Formats.Tests.Support;

namespace Zoo.FineTune.Tests.Tuning;

public sealed class TunerResumeTests : IDisposable
{
    private static readonly Objective Accuracy = Objective.Parse("val_accuracy");
    private static readonly SearchSpace Space = SearchSpace.Parse("lr=1e-5..1e-1:log,batch-size=16|32|64");
    private static readonly Dictionary<string, string> Description = new() { ["test"] = "resume" };
    private readonly TempDir dir = new();

    private static HyperbandOracle NewOracle() => new(Space, Accuracy, seed: 11, maxEpochs: 10, factor: 3);

    private static string[] LogLines(string folder) => File.ReadAllLines(Path.Combine(folder, TrialLog.FileName));

    [Theory]
    [InlineData(1)]
    [InlineData(14)]
    [InlineData(17)]
    public void A_search_cancelled_after_k_trials_resumes_without_repeating_them_and_ends_with_the_same_log(int k)
    {
        var whole = new ScriptedRunner(ScriptedRunner.LrScore);
        var uninterrupted = new Tuner(NewOracle(), whole, dir.File("whole"), Description).Search();
        Assert.Equal(StopReason.Finished, uninterrupted.Reason);

        using var cancel = new CancellationTokenSource();
        // k trials finish (the baseline is the first), then the token fires.
        var first = new ScriptedRunner(ScriptedRunner.LrScore) { CancelAfter = cancel, CancelAfterCount = k };
        var stopped = new Tuner(NewOracle(), first, dir.File("resumed"), Description).Search(cancel.Token);
        Assert.Equal(StopReason.Cancelled, stopped.Reason);
        Assert.Equal(k, first.Ran.Count);
        var afterKill = LogLines(dir.File("resumed"));
        Assert.Equal(1 + k, afterKill.Length);

        var second = new ScriptedRunner(ScriptedRunner.LrScore);
        var resumed = new Tuner(NewOracle(), second, dir.File("resumed"), Description).Search();
        Assert.Equal(StopReason.Finished, resumed.Reason);
        Assert.Empty(first.Ran.Intersect(second.Ran));
        Assert.Equal(whole.Ran, first.Ran.Concat(second.Ran));
        Assert.Equal(afterKill, LogLines(dir.File("resumed")).Take(afterKill.Length));
        Assert.Equal(LogLines(dir.File("whole")), LogLines(dir.File("resumed")));
        Assert.Equal(uninterrupted.Best!.Trial.Id, resumed.Best!.Trial.Id);
        Assert.Equal(k - 1, resumed.Trials.Count(t => t.Replayed));
    }

    [Fact]
    public void A_spent_time_budget_starts_no_new_trial_and_a_later_run_continues()
    {
        var runner = new ScriptedRunner(ScriptedRunner.LrScore);
        var spent = new Tuner(NewOracle(), runner, dir.Path, Description) { TimeBudget = TimeSpan.Zero, RunBaseline = false }.Search();
        Assert.Equal(StopReason.TimeBudget, spent.Reason);
        Assert.Empty(runner.Ran);
        var full = new Tuner(NewOracle(), runner, dir.Path, Description) { RunBaseline = false }.Search();
        Assert.Equal(30, full.Trials.Count);
    }

    [Fact]
    public void A_log_from_a_different_search_is_refused_and_names_what_differs()
    {
        new Tuner(NewOracle(), new ScriptedRunner(ScriptedRunner.LrScore), dir.Path, Description) { RunBaseline = false }.Search();
        var other = new Dictionary<string, string> { ["test"] = "another" };
        var e = Assert.Throws<ModelFormatException>(() => new Tuner(NewOracle(), new ScriptedRunner(ScriptedRunner.LrScore), dir.Path, other).Search());
        Assert.Contains("'test' is 'resume' in the log and 'another' now", e.Message);
        Assert.Equal(Path.Combine(dir.Path, TrialLog.FileName), e.File);
    }

    [Fact]
    public void Three_failed_trials_in_a_row_stop_the_search_and_failures_are_logged_without_a_score()
    {
        var failing = new FailingRunner();
        var result = new Tuner(NewOracle(), failing, dir.Path, Description) { RunBaseline = false }.Search();
        Assert.Equal(StopReason.Failures, result.Reason);
        Assert.Equal(3, result.Trials.Count);
        Assert.All(result.Trials, t => Assert.Equal((TrialStatus.Failed, (double?)null), (t.Result.Status, t.Result.Score)));
        Assert.Contains("InvalidOperationException: no luck", result.Trials[0].Result.Error);
        Assert.Null(result.Best);
    }

    [Fact]
    public void The_baseline_is_the_best_model_when_every_searched_trial_scores_below_it()
    {
        // The defaults (lr 1e-3) score 1; every sampled learning rate scores less.
        var runner = new ScriptedRunner(t => t.Id == Tuner.BaselineId ? 1.0 : 0.5 * ScriptedRunner.LrScore(t));
        var result = new Tuner(NewOracle(), runner, dir.Path, Description).Search();

        Assert.NotNull(result.Baseline);
        Assert.Same(result.Baseline, result.Best);
        Assert.All(result.Trials, t => Assert.True(t.Result.Score < result.Baseline!.Result.Score));
    }

    private sealed class FailingRunner : ITrialRunner
    {
        public TrialResult Run(Trial trial, string checkpoint, string? parentCheckpoint, Action<int, IReadOnlyDictionary<string, double>>? onEpoch, CancellationToken cancel)
            => throw new InvalidOperationException("no luck");
    }

    public void Dispose() => dir.Dispose();
}
