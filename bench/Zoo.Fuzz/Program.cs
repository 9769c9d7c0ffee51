using System.Diagnostics;
using System.Globalization;
using Zoo.Formats.Tests.Fuzzing;

// zoo-fuzz: long fuzz campaigns over every reader (and the image loader), printing counts and rates per format.
//   dotnet run -c Release --project bench/Zoo.Fuzz -- replay FORMAT FILE   (re-reads a saved failing input, printing the full exception)
//   dotnet run -c Release --project bench/Zoo.Fuzz -- --cases 20000 --seconds 600 --seed 1 [--first 0] [--jobs 2] [--formats json,yaml]
//       [--timeout-ms 10000] [--max-seed-bytes 1200000] [--failures DIR]
// Case i of a format depends only on (seed, format, i): --first/--cases select a chunk, and --jobs J splits
// [first, first+cases) into J chunks run by J child processes at once, whose counts are summed.
//   dotnet run -c Release --project bench/Zoo.Fuzz -- hostile [--cases 2000] [--seed 1] [--generators h5,tfjs]   (issue 15's generators; Hostile.cs)
if (args.Length == 3 && args[0] == "replay") return Replay.Run(args[1], args[2]);
if (args.Length > 0 && args[0] == "hostile") return Hostile.Run(args);
var opts = Options.Parse(args);
var fixtures = FindFixtures();
if (opts.Jobs > 1) return Chunks.Run(opts, args);
var scratch = Directory.CreateTempSubdirectory("zoo-fuzz-").FullName;
try
{
    if (!opts.TallyLines)
        Console.WriteLine($"fixtures: {fixtures ?? "(absent: Zoo-written seeds only)"}; seed {opts.Seed}; cases [{opts.First}, {opts.First + opts.Cases}) / {opts.Seconds} s per format; case limit {opts.TimeoutMs} ms");
    var seeds = new SeedLibrary(fixtures, opts.MaxSeedBytes, scratch);
    var settings = new FuzzSettings(opts.Seed, opts.Cases, opts.Seconds, TimeSpan.FromMilliseconds(opts.TimeoutMs), opts.Failures, opts.First);
    var tallies = new List<FuzzTally>();
    var total = Stopwatch.StartNew();
    foreach (var format in Targets.All(seeds).Where(f => opts.Formats is null || opts.Formats.Contains(f.Name)))
    {
        var tally = FuzzCampaign.Run(format, seeds, settings, scratch,
            t => Console.Error.Write($"\r{t.Format}: {t.Cases} cases, {t.FailureCount} failures   "));
        Console.Error.Write("\r" + new string(' ', 60) + "\r");
        tallies.Add(tally);
        if (opts.TallyLines) { Console.WriteLine(TallyLine.Format(tally)); continue; }
        Console.WriteLine($"{tally.Format}: {tally.Cases} cases from {tally.Seeds} seeds in {tally.Elapsed.TotalSeconds:0} s, {tally.FailureCount} failures");
        foreach (var (input, result) in tally.Failures.Take(5))
            Console.WriteLine($"  {result.Outcome}: {input}\n    {result.Detail?.Split('\n')[0]}");
    }
    if (!opts.TallyLines) TallyLine.PrintTable(tallies, total.Elapsed);
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
internal sealed record Options(int Cases, double Seconds, int Seed, int TimeoutMs, long MaxSeedBytes, string? Failures, HashSet<string>? Formats,
    long First, int Jobs, bool TallyLines)
{
    public static Options Parse(string[] args)
    {
        var o = new Options(20_000, 600, 1, 10_000, 1_200_000, null, null, 0, 1, false);
        for (int i = 0; i < args.Length; i += 2)
        {
            if (args[i] == "--tally-lines") { o = o with { TallyLines = true }; i--; continue; }
            if (i + 1 >= args.Length) throw new ArgumentException($"option {args[i]} needs a value");
            var v = args[i + 1];
            o = args[i] switch
            {
                "--cases" => o with { Cases = int.Parse(v, CultureInfo.InvariantCulture) },
                "--seconds" => o with { Seconds = double.Parse(v, CultureInfo.InvariantCulture) },
                "--seed" => o with { Seed = int.Parse(v, CultureInfo.InvariantCulture) },
                "--first" => o with { First = long.Parse(v, CultureInfo.InvariantCulture) },
                "--jobs" => o with { Jobs = int.Parse(v, CultureInfo.InvariantCulture) },
                "--timeout-ms" => o with { TimeoutMs = int.Parse(v, CultureInfo.InvariantCulture) },
                "--max-seed-bytes" => o with { MaxSeedBytes = long.Parse(v, CultureInfo.InvariantCulture) },
                "--failures" => o with { Failures = v },
                "--formats" => o with { Formats = v.Split(',').ToHashSet() },
                _ => throw new ArgumentException($"unknown option {args[i]}; expected --cases N --seconds S --seed X --first I --jobs J --timeout-ms T --max-seed-bytes B --failures DIR --formats a,b"),
            };
        }
        return o;
    }
}
