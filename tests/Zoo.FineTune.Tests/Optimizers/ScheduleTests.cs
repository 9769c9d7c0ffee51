using System.Text.Json.Nodes;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Optimizers.Schedules;
using Zoo.FineTune.Tests.Support;
using Zoo.FineTune.Training;
using Zoo.Formats;
using static TorchSharp.torch;

namespace Zoo.FineTune.Tests.Optimizers;

/// <summary>Keras 3's learning-rate schedules: values, per-step use, and their config through saved files.</summary>
public sealed class ScheduleTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("zoo-finetune-sched-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void ExponentialDecay_is_continuous_or_staircase()
    {
        var smooth = new ExponentialDecay(0.1, decaySteps: 10, decayRate: 0.5);
        var stairs = new ExponentialDecay(0.1, decaySteps: 10, decayRate: 0.5, staircase: true);
        Assert.Equal(0.1, smooth.At(0));
        Assert.Equal(0.1 * Math.Pow(0.5, 2.5), smooth.At(25));
        Assert.Equal(0.1, stairs.At(9));
        Assert.Equal(0.05, stairs.At(10));
        Assert.Equal(0.025, stairs.At(29));
    }

    [Fact]
    public void PiecewiseConstantDecay_includes_each_boundary_in_the_interval_before_it()
    {
        var s = new PiecewiseConstantDecay(new double[] { 100, 200 }, new[] { 1.0, 0.5, 0.1 });
        Assert.Equal(new[] { 1.0, 1.0, 0.5, 0.5, 0.1 }, new long[] { 0, 100, 101, 200, 201 }.Select(s.At));
    }

    [Fact]
    public void CosineDecay_warms_up_linearly_then_decays_from_the_target_to_alpha()
    {
        var plain = new CosineDecay(0.1, decaySteps: 100, alpha: 0.1);
        Assert.Equal(0.1, plain.At(0));
        Assert.Equal(0.1 * (0.9 * 0.5 * (1 + Math.Cos(Math.PI * 0.5)) + 0.1), plain.At(50));
        Assert.Equal(0.1 * 0.1, plain.At(100), 15);
        Assert.Equal(plain.At(100), plain.At(1000));
        var warm = new CosineDecay(0.0, decaySteps: 100, warmupTarget: 0.2, warmupSteps: 10);
        Assert.Equal(0.0, warm.At(0));
        Assert.Equal(0.2 * 0.5, warm.At(5));
        Assert.Equal(0.2, warm.At(10));
        Assert.Equal(0.2 * 0.5 * (1 + Math.Cos(Math.PI * 0.25)), warm.At(35));
        Assert.Equal(0.0, warm.At(110), 15);
        Assert.Equal(warm.At(110), warm.At(500));
    }

    [Fact]
    public void InverseTimeDecay_divides_by_one_plus_rate_times_progress()
    {
        Assert.Equal(0.1 / (1 + 0.5 * 2.5), new InverseTimeDecay(0.1, 10, 0.5).At(25));
        Assert.Equal(0.1 / (1 + 0.5 * 2), new InverseTimeDecay(0.1, 10, 0.5, staircase: true).At(25));
    }

    [Fact]
    public void PolynomialDecay_stops_at_the_end_rate_or_cycles_to_the_next_multiple()
    {
        var s = new PolynomialDecay(0.1, decaySteps: 10, endLearningRate: 0.01, power: 2);
        Assert.Equal(0.1, s.At(0));
        Assert.Equal((0.1 - 0.01) * 0.25 + 0.01, s.At(5));
        Assert.Equal(0.01, s.At(10));
        Assert.Equal(0.01, s.At(40));
        var c = new PolynomialDecay(0.1, decaySteps: 10, endLearningRate: 0.01, power: 1, cycle: true);
        Assert.Equal(0.1, c.At(0));
        Assert.Equal((0.1 - 0.01) * (1 - 15.0 / 20) + 0.01, c.At(15));
        Assert.Equal(0.01, c.At(20), 15);
    }

    [Fact]
    public void The_optimizer_uses_the_schedule_at_the_count_of_updates_already_applied()
    {
        using var w = zeros(1).requires_grad_(true);
        using var sgd = new Sgd { Schedule = new PiecewiseConstantDecay(new double[] { 1 }, new[] { 0.5, 0.1 }) };
        var seen = new List<float>();
        for (int i = 0; i < 3; i++)
        {
            using (var loss = w.sum()) loss.backward();   // gradient 1
            sgd.Step(new[] { w });
            w.grad!.zero_();
            seen.Add(w.item<float>());
        }
        // Updates use the rate at steps 0, 1 (≤ boundary: 0.5) and 2 (0.1).
        Assert.Equal(new[] { -0.5f, -1.0f, -1.1f }, seen);
        Assert.Equal(0.1, sgd.LearningRate);
        Assert.Throws<InvalidOperationException>(() => sgd.LearningRate = 0.3);
    }

    public static TheoryData<string> Formats => new() { "m.h5", "m.keras" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_schedule_round_trips_through_the_saved_optimizer_config(string file)
    {
        var schedules = new LearningRateSchedule[]
        {
            new ExponentialDecay(0.01, 7, 0.9, staircase: true), new PiecewiseConstantDecay(new double[] { 3, 6 }, new[] { 0.01, 0.005, 0.001 }),
            new CosineDecay(0.001, 20, alpha: 0.05, warmupTarget: 0.01, warmupSteps: 4), new InverseTimeDecay(0.01, 5, 0.3),
            new PolynomialDecay(0.01, 9, 0.0005, power: 0.5, cycle: true),
        };
        foreach (var schedule in schedules)
        {
            using var model = TrainableModel.FromGraph(TinyModels.Mlp(hidden: 4), seed: 1);
            model.Fit(SyntheticData.Blobs(16, seed: 2), new FitOptions { Epochs = 1, BatchSize = 8, Optimizer = new Adam { Schedule = schedule } });
            var path = Path.Combine(dir, file);
            model.Save(path);
            var graph = KerasFile.Load(path);
            var optimizerConfig = file.EndsWith(".h5", StringComparison.Ordinal)
                ? graph.TrainingConfig!["optimizer_config"]!
                : graph.Extras["compile_config"]!["optimizer"]!;
            var lr = (JsonObject)optimizerConfig["config"]!["learning_rate"]!;
            Assert.Equal(schedule.KerasClassName, lr["class_name"]!.GetValue<string>());
            Assert.Equal("keras.optimizers.schedules", lr["module"]!.GetValue<string>());
            var back = OptimizerConfig.FromGraph(graph)!;
            Assert.IsType<Adam>(back);
            Assert.Equal(schedule.GetType(), back.Schedule!.GetType());
            Assert.True(JsonNode.DeepEquals(schedule.KerasConfig(), back.Schedule.KerasConfig()), $"{schedule} came back as {back.Schedule}");
            foreach (long step in new long[] { 0, 1, 3, 4, 6, 7, 12, 30 }) Assert.Equal(schedule.At(step), back.Schedule.At(step));
        }
    }

    [Fact]
    public void Retraining_a_model_read_from_a_Keras_3_archive_saves_the_new_optimizer_not_the_old_compile_config()
    {
        var first = Path.Combine(dir, "first.keras");
        using (var model = TrainableModel.FromGraph(TinyModels.Mlp(hidden: 4), seed: 1))
        {
            model.Fit(SyntheticData.Blobs(16, seed: 2), new FitOptions { Epochs = 1, Optimizer = new Adam(0.01) });
            model.Save(first);
        }
        var second = Path.Combine(dir, "second.keras");
        using (var model = TrainableModel.FromGraph(KerasFile.Load(first), seed: 1))
        {
            Assert.IsType<Adam>(OptimizerConfig.FromGraph(model.Graph));
            model.Fit(SyntheticData.Blobs(16, seed: 2), new FitOptions { Epochs = 1, Optimizer = new Sgd(momentum: 0.5) { Schedule = new InverseTimeDecay(0.1, 2, 1) } });
            model.Save(second);
        }
        var back = OptimizerConfig.FromGraph(KerasFile.Load(second));
        var sgd = Assert.IsType<Sgd>(back);
        Assert.Equal(0.5, sgd.Momentum);
        Assert.Equal(0.1 / 3, sgd.Schedule!.At(4));
    }

    [Fact]
    public void An_unknown_schedule_class_is_refused_by_name()
    {
        var config = (JsonObject)JsonNode.Parse("{\"class_name\": \"CosineDecayRestarts\", \"config\": {\"initial_learning_rate\": 0.1, \"first_decay_steps\": 10}}")!;
        var e = Assert.Throws<UnsupportedFeatureException>(() => LearningRateSchedule.FromKerasConfig(config, "optimizer.learning_rate"));
        Assert.Contains("CosineDecayRestarts", e.Message);
    }
}
