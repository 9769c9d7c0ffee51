using Xunit.Abstractions;
using Zoo.FineTune.Data;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Training;
using Zoo.FineTune.Tuning;
using Zoo.Formats.Tests.Support;
using Zoo.Models.ModelZoo.Applications;

namespace Zoo.FineTune.Tests.Tuning;

/// <summary>
/// The measurement in docs/tuning.md (a few minutes, so it runs only with ZOO_TUNE_MEASURE=1): LeNet-5 from the zoo is
/// trained on plain synthetic digits, then a random search fine-tunes it to digits rotated a quarter turn.
/// Prints the baseline (the space's defaults) and the best trial's validation accuracy; asserts only that the
/// search found something better than its own starting point, which is what tuning is for.
/// </summary>
public sealed class DigitsMeasurement(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir dir = new();

    [SkippableFact]
    public void A_random_search_on_rotated_synthetic_digits_beats_the_default_hyperparameters()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("ZOO_TUNE_MEASURE") == "1", "set ZOO_TUNE_MEASURE=1 to run the tuning measurement (minutes)");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var plain = SyntheticDigits.Generate(1000, seed: 1);
        var graph = LeNet5.Build(new ApplicationOptions { Classes = 10, InputShape = [28, 28, 1], Seed = 1 }, modern: true);
        using (var pre = TrainableModel.FromGraph(graph, seed: 1))
        {
            var h = pre.Fit(plain, new FitOptions { Epochs = 5, BatchSize = 32, ValidationSplit = 0.2, Optimizer = new Adam(1e-3) });
            output.WriteLine($"pretrained on plain digits: val_accuracy {h["val_accuracy"][^1]:0.####} ({clock.Elapsed.TotalSeconds:0} s)");
            graph = pre.ExportGraph();
        }
        var rotated = SyntheticDigits.Generate(600, seed: 2, new SyntheticDigitsOptions { Domain = DigitDomain.Rotated90 });
        var options = new TuneOptions
        {
            Strategy = SearchStrategy.Random, MaxTrials = 10, MaxEpochs = 6, Patience = 2, Classes = 10, Seed = 1,
            Space = SearchSpace.Parse("lr=1e-4..3e-2:log,batch-size=16|32|64,optimizer=adam|sgd|rmsprop,dropout=0..0.5,policy=auto|small|medium|large"),
        };
        var result = new FineTuneSearch(graph, rotated, dir.File("search"), options).Run();
        foreach (var t in result.Trials.Prepend(result.Baseline!))
            output.WriteLine($"{t.Trial.Id,-8} {string.Join(" ", t.Trial.Values.Select(v => $"{v.Key}={v.Value}")),-90} val_accuracy {t.Result.Score:0.####} epochs {t.Result.EpochsRun} {t.Result.Seconds:0.0}s");
        output.WriteLine($"baseline {result.Baseline!.Result.Score:0.####}, best {result.Best!.Result.Score:0.####} (trial {result.Best.Trial.Id}); total {clock.Elapsed.TotalSeconds:0} s");
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "zoo-tune-measurement.txt"), File.ReadAllText(Path.Combine(dir.File("search"), "trials.csv")));
        Assert.True(result.Best.Result.Score > result.Baseline.Result.Score);
    }

    public void Dispose() => dir.Dispose();
}
