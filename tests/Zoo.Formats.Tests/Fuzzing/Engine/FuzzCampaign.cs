using System.Diagnostics;

namespace Zoo.Formats.Tests.Fuzzing;

/// <summary>Counts for one format after a campaign.</summary>
public sealed class FuzzTally(string format)
{
    /// <summary>The format's name.</summary>
    public string Format { get; } = format;
    /// <summary>Cases run.</summary>
    public int Cases { get; set; }
    /// <summary>Seeds the cases were drawn from.</summary>
    public int Seeds { get; set; }
    /// <summary>Count per outcome.</summary>
    public Dictionary<FuzzOutcome, int> Outcomes { get; } = Enum.GetValues<FuzzOutcome>().ToDictionary(o => o, _ => 0);
    /// <summary>The first failing cases (up to 20): input name, outcome and what escaped.</summary>
    public List<(string Input, FuzzCaseResult Result)> Failures { get; } = [];
    /// <summary>The first cases that passed the time limit but finished (up to 20), to replay at normal priority.</summary>
    public List<(string Input, FuzzCaseResult Result)> SlowCases { get; } = [];
    /// <summary>Largest allocation seen in one case, in bytes.</summary>
    public long MaxAllocated { get; set; }
    /// <summary>Slowest case.</summary>
    public TimeSpan Slowest { get; set; }
    /// <summary>Wall time the cases took.</summary>
    public TimeSpan Elapsed { get; set; }
    /// <summary>Failures of any kind.</summary>
    public int FailureCount => Outcomes.Where(kv => kv.Key is not (FuzzOutcome.Ok or FuzzOutcome.Refused or FuzzOutcome.Slow)).Sum(kv => kv.Value);

    /// <summary>One line for a log: cases, seeds, the outcomes that occurred, the largest allocation and the slowest case.</summary>
    public string Summary() => $"{Cases} cases from {Seeds} seeds: "
        + string.Join(", ", Outcomes.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} {kv.Value}"))
        + $"; max allocation {MaxAllocated >> 20} MiB, slowest {Slowest.TotalMilliseconds:0} ms";

    /// <summary>The first failures, each with its input and what escaped, for an assertion message.</summary>
    public string FailureReport() => string.Join("\n", Failures.Select(f => $"{f.Result.Outcome}: {f.Input}\n  {f.Result.Detail}"));
}

/// <summary>Settings of a campaign: seeded and deterministic in the inputs it makes, capped in cases and seconds per format.</summary>
/// <param name="Seed">Base seed; each format's stream is derived from it and the format name.</param>
/// <param name="CasesPerFormat">Most cases per format.</param>
/// <param name="SecondsPerFormat">Most seconds per format (the campaign stops a format early when reached).</param>
/// <param name="CaseTimeout">Per-case time limit; a case over it counts as a hang.</param>
/// <param name="FailureFolder">Where failing inputs are saved for replay; null saves nothing.</param>
/// <param name="FirstCase">
/// Index of the first case to run. Case <c>i</c> depends only on the seed, the format and <c>i</c>, so the
/// ranges [first, first + cases) of separate processes are disjoint chunks of one campaign.
/// </param>
public sealed record FuzzSettings(int Seed, int CasesPerFormat, double SecondsPerFormat, TimeSpan CaseTimeout, string? FailureFolder = null, long FirstCase = 0);

/// <summary>
/// Runs cases for each format: a seed (fixture or Zoo-written), then byte mutations, a structural mutation,
/// or both, and tallies outcomes. Failing inputs are saved so a bug can be replayed and turned into a test.
/// </summary>
public static class FuzzCampaign
{
    /// <summary>Runs <paramref name="format"/> under <paramref name="settings"/>, calling <paramref name="progress"/> now and then.</summary>
    public static FuzzTally Run(FuzzFormat format, SeedLibrary seeds, FuzzSettings settings, string scratch, Action<FuzzTally>? progress = null)
    {
        var tally = new FuzzTally(format.Name);
        var pool = seeds.Fixtures(format.SeedKinds).Concat(format.ExtraSeeds?.Invoke() ?? []).ToList();
        tally.Seeds = pool.Count;
        if (pool.Count == 0) return tally;
        var runner = new FuzzRunner(Directory.CreateDirectory(Path.Combine(scratch, format.Name)).FullName, settings.CaseTimeout);
        var clock = Stopwatch.StartNew();
        // Every seed is read unmutated first: the readers must accept what Keras and Zoo wrote.
        long end = settings.FirstCase + settings.CasesPerFormat;
        for (long i = settings.FirstCase; i < end && clock.Elapsed.TotalSeconds < settings.SecondsPerFormat; i++)
        {
            var input = i < pool.Count ? pool[(int)i] : NextCase(format, pool, CaseRandom(settings.Seed, format.Name, i));
            var result = runner.Run(format, input);
            Record(tally, i, input, result, settings.FailureFolder);
            if (runner.AbandonedThreads >= 3) break; // hung threads would skew everything after them
            if (progress is not null && tally.Cases % 500 == 0) progress(tally);
        }
        tally.Elapsed = clock.Elapsed;
        return tally;
    }

    /// <summary>One mutated input: bytes only, structure only, or structure then bytes.</summary>
    public static FuzzInput NextCase(FuzzFormat format, List<FuzzInput> pool, Random random)
    {
        var seed = pool[random.Next(pool.Count)];
        int mode = format.Structural is null ? 0 : random.Next(10);
        if (mode >= 4)
        {
            var structural = format.Structural!.Mutate(seed, random);
            if (structural is not null)
            {
                if (mode < 9) return structural;
                var (name2, bytes2) = ByteMutator.Mutate(structural.Bytes, random);
                return structural.With(name2, bytes2);
            }
        }
        var (name, bytes) = ByteMutator.Mutate(seed.Bytes, random);
        return seed.With(name, bytes);
    }

    /// <summary>The random stream of case <paramref name="index"/>: a function of the campaign seed, the format and the index only.</summary>
    public static Random CaseRandom(int seed, string format, long index)
    {
        ulong x = (uint)seed ^ ((ulong)(uint)StableHash(format) << 32);
        x += 0x9E3779B97F4A7C15UL * (ulong)(index + 1);
        // splitmix64 finaliser: neighbouring indices get unrelated streams
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return new Random((int)(x ^ (x >> 31)));
    }

    private static void Record(FuzzTally tally, long index, FuzzInput input, FuzzCaseResult result, string? failureFolder)
    {
        tally.Cases++;
        tally.Outcomes[result.Outcome]++;
        tally.MaxAllocated = Math.Max(tally.MaxAllocated, result.AllocatedBytes);
        if (result.Elapsed > tally.Slowest) tally.Slowest = result.Elapsed;
        var list = result.IsFailure ? tally.Failures : result.Outcome == FuzzOutcome.Slow ? tally.SlowCases : null;
        if (list is null || list.Count >= 20) return;
        list.Add((input.Name, result));
        if (failureFolder is null) return;
        var dir = Directory.CreateDirectory(Path.Combine(failureFolder, tally.Format, $"case{index}-{result.Outcome}")).FullName;
        File.WriteAllBytes(Path.Combine(dir, "input"), input.Bytes);
        foreach (var (name, bytes) in input.Companions) File.WriteAllBytes(Path.Combine(dir, name), bytes);
        File.WriteAllText(Path.Combine(dir, "what.txt"), $"{input.Name}\n{result.Outcome}\n{result.Detail}\n");
    }

    /// <summary>FNV-1a of the name: string.GetHashCode changes per process, which would break determinism.</summary>
    public static int StableHash(string s)
    {
        uint h = 2166136261;
        foreach (var c in s) h = (h ^ c) * 16777619;
        return (int)h;
    }
}
