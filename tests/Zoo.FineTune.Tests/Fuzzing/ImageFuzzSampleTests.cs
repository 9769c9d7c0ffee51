using Xunit.Abstractions;
using Zoo.FineTune.Tests.Fuzzing.Image;
using Zoo.Formats.Tests.Fuzzing;
using Zoo.Formats.Tests.Support;

namespace Zoo.FineTune.Tests.Fuzzing;

/// <summary>Cases here are charged the process's allocations, so nothing else may run beside them.</summary>
[CollectionDefinition(nameof(ImageFuzzCollection), DisableParallelization = true)]
public sealed class ImageFuzzCollection;

/// <summary>
/// The per-test-run sample of the <c>image</c> fuzz target (a few seconds): every seed, then mutated JPEG, PNG,
/// BMP, GIF and WebP files each loaded as a one-image folder. Long campaigns: bench/Zoo.Fuzz --formats image.
/// </summary>
[Collection(nameof(ImageFuzzCollection))]
public sealed class ImageFuzzSampleTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20261126;
    private readonly TempDir scratch = new();

    [Fact]
    public void Mutated_images_load_or_are_skipped_within_time_and_memory_limits_and_stay_unchanged()
    {
        var format = ImageFuzzFormat.Create();
        var settings = new FuzzSettings(Seed, CasesPerFormat: 500, SecondsPerFormat: 6, CaseTimeout: TimeSpan.FromSeconds(20));

        var tally = FuzzCampaign.Run(format, new SeedLibrary(null, 0, scratch.Path), settings, scratch.Path);

        output.WriteLine(tally.Summary());
        Assert.True(tally.Cases > ImageSeeds.All.Count, $"only {tally.Cases} cases ran: not even past the seeds");
        Assert.True(tally.Outcomes[FuzzOutcome.Refused] > 0, "no mutation was ever skipped: the mutators are not reaching the decoder");
        Assert.True(tally.FailureCount == 0, tally.FailureReport());
    }

    [Fact]
    public void Every_seed_image_of_every_format_loads()
    {
        var runner = new FuzzRunner(scratch.Path, TimeSpan.FromSeconds(30));
        var format = ImageFuzzFormat.Create();
        var wrong = ImageSeeds.All.Select(s => (s.Name, Result: runner.Run(format, s)))
            .Where(x => x.Result.Outcome != FuzzOutcome.Ok).Select(x => $"{x.Name}: {x.Result.Outcome} {x.Result.Detail}").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        foreach (var magic in new[] { "jpeg-progressive", "png-palette", "gif-animated", "webp-lossy", "webp-lossless", "bmp-" })
            Assert.Contains(ImageSeeds.All, s => s.Name.StartsWith(magic, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_image_format_gets_structural_mutations()
    {
        var mutator = new ImageStructuralMutator();
        var random = new Random(3);
        foreach (var prefix in new[] { "png", "jpeg", "gif", "bmp", "webp" })
        {
            var seeds = ImageSeeds.All.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            var mutated = Enumerable.Range(0, 60).Select(_ => mutator.Mutate(seeds[random.Next(seeds.Count)], random)).OfType<FuzzInput>().ToList();
            Assert.True(mutated.Count > 30, $"{prefix}: only {mutated.Count} of 60 structural mutations applied");
            Assert.All(mutated, m => Assert.Contains($"> {prefix}:", m.Name, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_memory_meter_sees_the_pixel_buffers_the_decoder_allocates()
    {
        using var big = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(1000, 1000);
        using var ms = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(big, ms);

        var result = new FuzzRunner(scratch.Path, TimeSpan.FromSeconds(30)).Run(ImageFuzzFormat.Create(), new FuzzInput("big", ms.ToArray()));

        Assert.Equal(FuzzOutcome.Ok, result.Outcome);
        Assert.True(result.AllocatedBytes >= 1000 * 1000 * 3, $"a 1000×1000 decode was charged only {result.AllocatedBytes:N0} bytes");
    }

    public void Dispose() => scratch.Dispose();
}
