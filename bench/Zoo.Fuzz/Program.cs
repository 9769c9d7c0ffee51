using System.Diagnostics;
using System.Globalization;
using Zoo.Formats.Tests.Fuzzing;

// zoo-fuzz: long fuzz campaigns over every Keras reader, printing counts per format.
//   dotnet run -c Release --project bench/Zoo.Fuzz -- replay FORMAT FILE   (re-reads a saved failing input, printing the full exception)
//   dotnet run -c Release --project bench/Zoo.Fuzz -- --cases 20000 --seconds 600 --seed 1 [--formats json,yaml] [--timeout-ms 10000] [--max-seed-bytes 1200000] [--failures DIR]
if (args.Length == 3 && args[0] == "replay") return Replay.Run(args[1], args[2]);
var opts = Options.Parse(args);
var scratch = Directory.CreateTempSubdirectory("zoo-fuzz-").FullName;
try
{
    var fixtures = FindFixtures();
    Console.WriteLine($"fixtures: {fixtures ?? "(absent: Zoo-written seeds only)"}; seed {opts.Seed}; up to {opts.Cases} cases / {opts.Seconds} s per format; case limit {opts.TimeoutMs} ms");
    var seeds = new SeedLibrary(fixtures, opts.MaxSeedBytes, scratch);
    var settings = new FuzzSettings(opts.Seed, opts.Cases, opts.Seconds, TimeSpan.FromMilliseconds(opts.TimeoutMs), opts.Failures);
    var tallies = new List<FuzzTally>();
    var total = Stopwatch.StartNew();
    foreach (var format in FuzzFormats.All(seeds).Where(f => opts.Formats is null || opts.Formats.Contains(f.Name)))
    {
        var clock = Stopwatch.StartNew();
        var tally = FuzzCampaign.Run(format, seeds, settings, scratch,
            t => Console.Error.Write($"\r{t.Format}: {t.Cases} cases, {t.FailureCount} failures   "));
        Console.Error.Write("\r" + new string(' ', 60) + "\r");
        tallies.Add(tally);
        Console.WriteLine($"{tally.Format}: {tally.Cases} cases from {tally.Seeds} seeds in {clock.Elapsed.TotalSeconds:0} s, {tally.FailureCount} failures");
        foreach (var (input, result) in tally.Failures.Take(5))
            Console.WriteLine($"  {result.Outcome}: {input}\n    {result.Detail?.Split('\n')[0]}");
    }
    Console.WriteLine();
    Console.WriteLine("| format | seeds | cases | ok | ZooException | untyped | hangs | memory | input modified | max alloc MiB | slowest ms |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (var t in tallies)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {t.Format} | {t.Seeds} | {t.Cases} | {t.Outcomes[FuzzOutcome.Ok]} | {t.Outcomes[FuzzOutcome.Refused]} | {t.Outcomes[FuzzOutcome.Untyped]} | {t.Outcomes[FuzzOutcome.Hang]} | {t.Outcomes[FuzzOutcome.MemoryBlowup]} | {t.Outcomes[FuzzOutcome.InputModified]} | {t.MaxAllocated / 1048576.0:0.0} | {t.Slowest.TotalMilliseconds:0} |"));
    Console.WriteLine($"total {tallies.Sum(t => t.Cases)} cases in {total.Elapsed.TotalMinutes:0.0} min");
    return tallies.Sum(t => t.FailureCount) == 0 ? 0 : 1;
}
finally
{
    try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
}

static string? FindFixtures()
{
    var env = Environment.GetEnvironmentVariable("ZOO_FIXTURES");
    if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "keras-real");
        if (File.Exists(Path.Combine(candidate, "MANIFEST.tsv"))) return candidate;
    }
    return null;
}

/// <summary>Command-line options of zoo-fuzz.</summary>
internal sealed record Options(int Cases, double Seconds, int Seed, int TimeoutMs, long MaxSeedBytes, string? Failures, HashSet<string>? Formats)
{
    public static Options Parse(string[] args)
    {
        var o = new Options(20_000, 600, 1, 10_000, 1_200_000, null, null);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            var v = args[i + 1];
            o = args[i] switch
            {
                "--cases" => o with { Cases = int.Parse(v, CultureInfo.InvariantCulture) },
                "--seconds" => o with { Seconds = double.Parse(v, CultureInfo.InvariantCulture) },
                "--seed" => o with { Seed = int.Parse(v, CultureInfo.InvariantCulture) },
                "--timeout-ms" => o with { TimeoutMs = int.Parse(v, CultureInfo.InvariantCulture) },
                "--max-seed-bytes" => o with { MaxSeedBytes = long.Parse(v, CultureInfo.InvariantCulture) },
                "--failures" => o with { Failures = v },
                "--formats" => o with { Formats = v.Split(',').ToHashSet() },
                _ => throw new ArgumentException($"unknown option {args[i]}; expected --cases N --seconds S --seed X --timeout-ms T --max-seed-bytes B --failures DIR --formats a,b"),
            };
        }
        return o;
    }
}
