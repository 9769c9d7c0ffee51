using Xunit.Abstractions;
using Zoo.Formats.Tests.Fuzzing;
using Zoo.Formats.Tests.Support;

namespace Zoo.Onnx.Tests.Fuzzing;

/// <summary>
/// The per-test-run sample of the <c>onnx</c> fuzz target: a fixed seed, 300 cases (capped at about 12 s) under a time
/// limit, an allocation budget and an input-hash check, as for every Keras reader. Long campaigns: bench/Zoo.Fuzz --formats onnx.
/// </summary>
public sealed class OnnxFuzzSampleTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20261126;
    private readonly TempDir scratch = new();

    [Fact]
    public void Mutated_onnx_models_end_in_success_or_a_zoo_exception_within_time_and_memory_limits_and_leave_the_input_unchanged()
    {
        var seeds = new SeedLibrary(Fixtures.KerasRealRoot, 300_000, scratch.Path);
        var settings = new FuzzSettings(Seed, CasesPerFormat: 300, SecondsPerFormat: 12, CaseTimeout: TimeSpan.FromSeconds(20));

        var tally = FuzzCampaign.Run(OnnxFuzzFormat.Create(seeds), seeds, settings, scratch.Path);

        output.WriteLine(tally.Summary());
        Assert.True(tally.Seeds > 1, $"only {tally.Seeds} seeds: the built-in model's export and the external-data model should always be there");
        Assert.True(tally.Cases >= Math.Min(50, settings.CasesPerFormat), $"only {tally.Cases} cases ran");
        Assert.True(tally.Outcomes[FuzzOutcome.Refused] > 0, "no mutation was ever refused: the mutators are not reaching the reader");
        Assert.True(tally.FailureCount == 0, tally.FailureReport());
    }

    [Fact]
    public void Every_onnx_seed_Zoo_exported_reads_back()
    {
        var seeds = new SeedLibrary(Fixtures.KerasRealRoot, 300_000, scratch.Path);
        var runner = new FuzzRunner(scratch.Path, TimeSpan.FromSeconds(30));
        var format = OnnxFuzzFormat.Create(seeds);
        var wrong = format.ExtraSeeds!().Select(s => (s.Name, Result: runner.Run(format, s)))
            .Where(x => x.Result.Outcome != FuzzOutcome.Ok).Select(x => $"{x.Name}: {x.Result.Outcome} {x.Result.Detail}").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void The_same_seed_makes_the_same_onnx_cases()
    {
        var format = OnnxFuzzFormat.Create(new SeedLibrary(null, 300_000, scratch.Path));
        var pool = format.ExtraSeeds!().ToList();
        Random a = new(5), b = new(5);
        for (int i = 0; i < 20; i++)
        {
            var x = FuzzCampaign.NextCase(format, pool, a);
            var y = FuzzCampaign.NextCase(format, pool, b);
            Assert.Equal(x.Name, y.Name);
            Assert.Equal(x.Bytes, y.Bytes);
        }
    }

    public void Dispose() => scratch.Dispose();
}
