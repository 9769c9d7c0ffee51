using Zoo.FineTune.Tuning;

namespace Zoo.FineTune.Tests.Tuning;

public sealed class OracleTests
{
    private static readonly Objective Accuracy = Objective.Parse("val_accuracy");
    private static readonly SearchSpace Space = SearchSpace.Parse("lr=1e-5..1e-1:log,batch-size=16|32|64,dropout=0..0.5");

    private static List<Trial> Drain(Oracle oracle, ScriptedRunner runner)
    {
        var trials = new List<Trial>();
        while (oracle.CreateTrial() is { } t)
        {
            trials.Add(t);
            oracle.EndTrial(t, runner.Run(t, "", null, null, default));
        }
        return trials;
    }

    [Fact]
    public void A_seeded_random_search_draws_the_same_configurations_every_time_and_another_seed_draws_others()
    {
        var a = Drain(new RandomSearchOracle(Space, Accuracy, seed: 5, maxTrials: 6, epochs: 3), new ScriptedRunner(ScriptedRunner.LrScore));
        var b = Drain(new RandomSearchOracle(Space, Accuracy, seed: 5, maxTrials: 6, epochs: 3), new ScriptedRunner(ScriptedRunner.LrScore));
        var c = Drain(new RandomSearchOracle(Space, Accuracy, seed: 6, maxTrials: 6, epochs: 3), new ScriptedRunner(ScriptedRunner.LrScore));
        Assert.Equal(6, a.Count);
        Assert.Equal(a.Select(t => t.Values), b.Select(t => t.Values));
        Assert.NotEqual(a.Select(t => t.Values["lr"]), c.Select(t => t.Values["lr"]));
        Assert.Equal(new[] { "0", "1", "2", "3", "4", "5" }, a.Select(t => t.Id)); // padded to the digits of max_trials (6)
        Assert.All(a, t => Assert.Equal((0, 3), (t.InitialEpoch, t.Epochs)));
    }

    [Fact]
    public void Random_search_skips_configurations_already_tried_and_stops_when_the_space_is_exhausted()
    {
        var small = SearchSpace.Parse("batch-size=16|32,optimizer=adam|sgd");
        var trials = Drain(new RandomSearchOracle(small, Accuracy, seed: 1, maxTrials: 10, epochs: 1), new ScriptedRunner(_ => 0.5));
        Assert.Equal(4, trials.Count);
        Assert.Equal(4, trials.Select(t => SearchSpace.Hash(t.Values)).Distinct().Count());
        Assert.Equal(new[] { "00", "01", "02", "03" }, trials.Select(t => t.Id));
    }

    [Fact]
    public void Hyperband_with_max_epochs_10_and_factor_3_runs_keras_tuners_brackets_and_promotes_the_best()
    {
        var runner = new ScriptedRunner(ScriptedRunner.LrScore);
        var trials = Drain(new HyperbandOracle(Space, Accuracy, seed: 3, maxEpochs: 10, factor: 3), runner);
        // By hand: bracket 2 = 12 models × 2 epochs, 4 × (2→4), 2 × (4→10); bracket 1 = 6 × 4, 2 × (4→10); bracket 0 = 4 × 10.
        var expected = new List<(int Bracket, int Round, int Initial, int Epochs)>();
        void Add(int n, int b, int r, int i, int e) { for (int k = 0; k < n; k++) expected.Add((b, r, i, e)); }
        Add(12, 2, 0, 0, 2); Add(4, 2, 1, 2, 4); Add(2, 2, 2, 4, 10);
        Add(6, 1, 0, 0, 4); Add(2, 1, 1, 4, 10);
        Add(4, 0, 0, 0, 10);
        Assert.Equal(expected, trials.Select(t => (t.Bracket!.Value, t.Round!.Value, t.InitialEpoch, t.Epochs)));
        Assert.Equal("0000", trials[0].Id); // no max_trials: Keras Tuner pads to len("None") = 4
        Assert.Equal("0029", trials[^1].Id);

        // Promotions: the best of the previous round, best first, carrying the parent's values.
        AssertPromoted(trials, trials.Skip(0).Take(12), trials.Skip(12).Take(4));
        AssertPromoted(trials, trials.Skip(12).Take(4), trials.Skip(16).Take(2));
        AssertPromoted(trials, trials.Skip(18).Take(6), trials.Skip(24).Take(2));
        Assert.All(trials.Where(t => t.Round == 0), t => Assert.Null(t.ParentId));
        Assert.Equal(30, runner.Ran.Count);
    }

    [Fact]
    public void Hyperband_iterations_repeat_the_brackets_and_max_trials_caps_them()
    {
        var twice = Drain(new HyperbandOracle(Space, Accuracy, seed: 3, maxEpochs: 10, factor: 3, iterations: 2), new ScriptedRunner(ScriptedRunner.LrScore));
        Assert.Equal(60, twice.Count);
        Assert.Equal(new[] { 2, 2, 1, 0, 2 }, new[] { twice[0], twice[17], twice[18], twice[29], twice[30] }.Select(t => t.Bracket!.Value));
        var capped = Drain(new HyperbandOracle(Space, Accuracy, seed: 3, maxEpochs: 10, factor: 3, maxTrials: 7), new ScriptedRunner(ScriptedRunner.LrScore));
        Assert.Equal(7, capped.Count);
        Assert.Equal("0", capped[0].Id);
    }

    [Fact]
    public void Hyperband_with_a_loss_objective_promotes_the_lowest_scores()
    {
        var loss = Objective.Parse("val_loss");
        var runner = new ScriptedRunner(ScriptedRunner.LrScore);
        var trials = Drain(new HyperbandOracle(Space, loss, seed: 3, maxEpochs: 3, factor: 3), runner);
        // max_epochs 3, factor 3: brackets 1 (3 × 1 epoch, then 1 × 1→3) and 0 (2 × 3 epochs); ⌈1 + log3 3⌉ = 2.
        Assert.Equal(6, trials.Count);
        var worst = trials.Take(3).OrderBy(t => ScriptedRunner.LrScore(t)).First();
        Assert.Equal(worst.Id, trials[3].ParentId);
        Assert.Equal((1, 3), (trials[3].InitialEpoch, trials[3].Epochs));
    }

    private static void AssertPromoted(List<Trial> all, IEnumerable<Trial> previous, IEnumerable<Trial> promoted)
    {
        var best = previous.OrderByDescending(ScriptedRunner.LrScore).Take(promoted.Count()).Select(t => t.Id);
        Assert.Equal(best, promoted.Select(t => t.ParentId!));
        foreach (var p in promoted) Assert.Equal(all.Single(t => t.Id == p.ParentId).Values, p.Values);
    }
}
