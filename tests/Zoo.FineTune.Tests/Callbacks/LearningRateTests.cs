using Zoo.FineTune.Callbacks;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Tests.Support;
using Zoo.FineTune.Training;

namespace Zoo.FineTune.Tests.Callbacks;

/// <summary>Learning-rate schedules and ReduceLROnPlateau: exact values per epoch.</summary>
public class LearningRateTests
{
    private static List<double> RatesDuring(int epochs, double lr0, params Callback[] callbacks)
    {
        using var model = TrainableModel.FromGraph(TinyModels.Mlp(), seed: 3);
        var recorder = new RateRecorder();
        model.Fit(SyntheticData.Blobs(16, seed: 5), new FitOptions { Epochs = epochs, BatchSize = 16, Optimizer = new Sgd(lr0) },
            callbacks.Append(recorder).ToArray());
        return recorder.Rates;
    }

    [Fact]
    public void The_lecture_schedule_holds_lr0_for_five_epochs_then_decays_from_lr0_without_compounding()
    {
        var rates = RatesDuring(8, 0.01, new LearningRateScheduler(Schedules.Lecture(0.01)));
        var expected = Enumerable.Range(0, 8).Select(e => e < 5 ? 0.01 : 0.01 * Math.Exp(0.1 * (5 - e))).ToArray();
        Assert.Equal(expected, rates);
    }

    [Fact]
    public void The_compounding_variant_multiplies_the_current_rate_by_exp_minus_one_tenth()
    {
        var rates = RatesDuring(8, 0.01, new LearningRateScheduler(Schedules.LectureCompounding()));
        double lr = 0.01;
        for (int e = 0; e < 8; e++)
        {
            if (e >= 5) lr *= Math.Exp(-0.1);
            Assert.Equal(lr, rates[e], 15);
        }
    }

    [Fact]
    public void Step_exponential_and_cosine_presets_give_their_formulas()
    {
        Assert.Equal(0.1 * 0.25, Schedules.Step(0.1, 0.5, 2)(5, 0));
        Assert.Equal(0.1 * Math.Pow(0.9, 2.5), Schedules.Exponential(0.1, 0.9, 2)(5, 0), 15);
        Assert.Equal(0.1 * Math.Pow(0.9, 2), Schedules.Exponential(0.1, 0.9, 2, staircase: true)(5, 0), 15);
        Assert.Equal(0.05, Schedules.Cosine(0.1, 10)(5, 0), 15);
        Assert.Equal(0.01, Schedules.Cosine(0.1, 10, alpha: 0.1)(12, 0), 15);
    }

    [Fact]
    public void Reduce_on_plateau_cuts_after_patience_epochs_and_then_cools_down()
    {
        // Improves at 0 and 1; flat at 2 and 3 → cut after epoch 3. Keras decrements the cooldown before the
        // check in the same epoch, so a cooldown of 1 ends at once and epoch 4 already counts: cuts after 5 and 7.
        var plateau = new ReduceLROnPlateau(factor: 0.5, patience: 2, cooldown: 1, minLearningRate: 0.01);
        var rates = RatesDuring(9, 0.1, new ScriptedLogs("val_loss", 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9), plateau);
        Assert.Equal(new[] { 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125 }, rates);
    }

    [Fact]
    public void Reduce_on_plateau_never_goes_below_the_minimum_rate()
    {
        var plateau = new ReduceLROnPlateau(factor: 0.1, patience: 1, minLearningRate: 0.02);
        var rates = RatesDuring(5, 0.1, new ScriptedLogs("val_loss", 1, 1, 1, 1, 1), plateau);
        Assert.Equal(new[] { 0.1, 0.1, 0.02, 0.02, 0.02 }, rates);
    }
}
