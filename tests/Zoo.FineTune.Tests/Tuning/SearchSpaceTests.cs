using Zoo.FineTune.Freezing;
using Zoo.FineTune.Tuning;
using Zoo.Formats;

namespace Zoo.FineTune.Tests.Tuning;

public sealed class SearchSpaceTests
{
    [Fact]
    public void The_cli_syntax_parses_ranges_log_ranges_and_choices_with_zoo_defaults()
    {
        var space = SearchSpace.Parse("lr=1e-4..1e-2:log,batch-size=16|32,dropout=0..0.5,policy=small|medium");
        var lr = Assert.IsType<FloatParameter>(space.Parameters[0]);
        Assert.Equal(("lr", 1e-4, 1e-2, true, 1e-3), (lr.Name, lr.Min, lr.Max, lr.Log, lr.DefaultValue));
        var batch = Assert.IsType<ChoiceParameter>(space.Parameters[1]);
        Assert.Equal(new[] { "16", "32" }, batch.Values);
        Assert.Equal("32", batch.Default);
        var dropout = Assert.IsType<FloatParameter>(space.Parameters[2]);
        Assert.Equal((0.0, 0.5, false, 0.2), (dropout.Min, dropout.Max, dropout.Log, dropout.DefaultValue));
        // auto is not among the choices, so the default falls back to Keras Tuner's: the first choice.
        Assert.Equal("small", space.Parameters[3].Default);
    }

    [Fact]
    public void Explicit_defaults_aliases_and_the_written_form_round_trip()
    {
        var space = SearchSpace.Parse("Learning_Rate=0.0001..0.1:log@0.01, optimizer=SGD|adam, cut=1|2|0.5|conv2d_1, policy=medium|large");
        Assert.Equal("0.01", space.Parameters[0].Default);
        Assert.Equal(new[] { "sgd", "adam" }, ((ChoiceParameter)space.Parameters[1]).Values);
        Assert.Equal(new[] { "lr", "optimizer", "policy", "cut" }, space.Parameters.Select(p => p.Name));
        Assert.Equal(space.ToString(), SearchSpace.Parse(space.ToString()).ToString());
    }

    [Theory]
    [InlineData("lr", "expected name=spec")]
    [InlineData("lr=", "expected name=spec")]
    [InlineData("momentum=0..1", "expected a parameter name")]
    [InlineData("lr=0..1e-2:log", "lo > 0")]
    [InlineData("lr=1e-2..1e-4", "lo ≤ hi")]
    [InlineData("lr=1e-4..x", "two numbers")]
    [InlineData("lr=1e-4..1e-2:ln", "lo..hi:log")]
    [InlineData("batch-size=16..64", "only lr and dropout take ranges")]
    [InlineData("batch-size=16|0", "whole number")]
    [InlineData("optimizer=adam|adagrad", "adam or sgd or rmsprop")]
    [InlineData("dropout=0..1", "[0, 1)")]
    [InlineData("policy=small|small", "distinct")]
    [InlineData("lr=1e-4..1e-2,lr=1e-3", "each parameter once")]
    [InlineData("dropout=0..0.5@0.7", "default inside")]
    [InlineData("cut=1.5", "stage count")]
    public void Bad_space_syntax_raises_a_search_space_error_that_says_what_was_expected(string text, string expected)
    {
        var e = Assert.Throws<SearchSpaceException>(() => SearchSpace.Parse(text));
        Assert.IsAssignableFrom<ZooException>(e);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Cut_is_sampled_only_in_trials_whose_policy_is_medium()
    {
        var space = SearchSpace.Parse("policy=small|medium|large,cut=1|2|3");
        int state = 7;
        var draws = Enumerable.Range(0, 60).Select(_ => space.Sample(ref state)).ToList();
        Assert.All(draws, d => Assert.Equal(d["policy"] == "medium", d.ContainsKey("cut")));
        Assert.Contains(draws, d => d["policy"] == "medium");
        Assert.Contains(draws, d => d["policy"] != "medium");
        // Keras Tuner advances the seed state once per active parameter only.
        int fresh = 7;
        foreach (var d in draws.Take(5)) { var again = space.Sample(ref fresh); Assert.Equal(d, again); }
    }

    [Fact]
    public void Trial_values_resolve_to_typed_settings_with_zoo_defaults_for_the_rest()
    {
        var hp = TrialHyperparameters.From(new Dictionary<string, string> { ["lr"] = "0.005", ["policy"] = "medium", ["cut"] = "2", ["optimizer"] = "sgd" });
        Assert.Equal(0.005, hp.LearningRate);
        Assert.Equal(32, hp.BatchSize);
        Assert.Equal(0.2, hp.Dropout);
        Assert.Equal(FreezePolicy.Medium, hp.Policy);
        Assert.Equal(FreezeCut.LastStages(2), hp.Cut);
        Assert.Equal(0.9, Assert.IsType<Zoo.FineTune.Optimizers.Sgd>(hp.CreateOptimizer()).Momentum);
        Assert.Null(hp.CreateSchedule(10));
        Assert.Equal(FreezeCut.Fraction(0.5), TrialHyperparameters.From(new Dictionary<string, string> { ["cut"] = "0.5" }).Cut);
        Assert.Equal(FreezeCut.AtLayer("conv2d_1"), TrialHyperparameters.From(new Dictionary<string, string> { ["cut"] = "conv2d_1" }).Cut);
    }

    [Theory]
    [InlineData("val_accuracy", true)]
    [InlineData("accuracy", true)]
    [InlineData("val_acc", true)]
    [InlineData("val_loss", false)]
    [InlineData("loss", false)]
    [InlineData("val_weighted_loss", false)]
    [InlineData("val_loss:max", true)]
    [InlineData("val_accuracy:min", false)]
    public void The_direction_is_inferred_from_the_metric_name_as_keras_tuner_does(string monitor, bool maximize)
        => Assert.Equal(maximize, Objective.Parse(monitor).Maximize);

    [Fact]
    public void A_metric_whose_direction_cannot_be_inferred_asks_for_one()
        => Assert.Contains("val_f1:max", Assert.Throws<SearchSpaceException>(() => Objective.Parse("val_f1")).Message);
}
