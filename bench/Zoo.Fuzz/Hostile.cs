using System.Diagnostics;
using System.Globalization;
using System.Text;
using Zoo.FineTune.Data;
using Zoo.FineTune.Tests.Fuzzing.Image;
using Zoo.Formats;
using Zoo.Formats.Tests.Fuzzing.Hostile;

/// <summary>
/// zoo-fuzz hostile: runs the structure-aware generators of issue 15 (each case one valid file with one
/// deliberate twist) through the readers, one case at a time on a fresh thread, and tallies what happened:
/// accepted, refused with a ZooException, or a failure (another exception, a hang past the limit, more than
/// --max-alloc-mib allocated while reading).
///   dotnet run -c Release --project bench/Zoo.Fuzz -- hostile [--cases 2000] [--seed 1] [--generators h5,keras-zip,...] [--timeout-ms 20000] [--max-alloc-mib 1024]
/// </summary>
internal static class Hostile
{
    private sealed record Tally(string Name)
    {
        public int Cases, Accepted, Refused, Failures;
        public long MaxAllocated;
        public TimeSpan Slowest;
        public readonly Dictionary<string, int> Kinds = new();
        public readonly List<string> FirstFailures = [];
    }

    public static int Run(string[] args)
    {
        int cases = Get(args, "--cases", 2000), seed = Get(args, "--seed", 1), timeoutMs = Get(args, "--timeout-ms", 20_000);
        long maxAlloc = (long)Get(args, "--max-alloc-mib", 1024) << 20;
        var only = args.SkipWhile(a => a != "--generators").Skip(1).FirstOrDefault()?.Split(',').ToHashSet();
        var scratch = Directory.CreateTempSubdirectory("zoo-hostile-").FullName;
        var tallies = new List<Tally>();
        try
        {
            foreach (var g in Generators(scratch, cases, seed).Where(g => only is null || only.Contains(g.Name)))
            {
                var tally = new Tally(g.Name);
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < cases; i++)
                {
                    var dir = Directory.CreateDirectory(Path.Combine(scratch, g.Name, $"case{i}", "model")).FullName;
                    string path;
                    try { path = g.Make(dir, new Random(seed * 1_000_003 + i)); }
                    catch (Exception e) { Console.Error.WriteLine($"{g.Name} case {i}: generator failed: {e.Message}"); continue; }
                    var kind = Path.GetFileName(Path.GetDirectoryName(path) ?? "") is var k && k.StartsWith("kind-", StringComparison.Ordinal) ? k[5..] : g.Name;
                    Record(tally, i, kind, RunOne(g.Read, path, TimeSpan.FromMilliseconds(timeoutMs), maxAlloc));
                    TryDelete(Path.Combine(scratch, g.Name, $"case{i}"));
                    if (tally.Cases % 200 == 0) Console.Error.Write($"\r{g.Name}: {tally.Cases} cases, {tally.Failures} failures   ");
                }
                Console.Error.Write("\r" + new string(' ', 60) + "\r");
                tallies.Add(tally);
                Console.WriteLine($"{g.Name}: {tally.Cases} cases in {clock.Elapsed.TotalSeconds:0} s: {tally.Refused} refused, {tally.Accepted} accepted, {tally.Failures} failures; " +
                                  $"most allocated {tally.MaxAllocated / (1 << 20)} MiB, slowest {tally.Slowest.TotalSeconds:0.00} s; kinds: {string.Join(", ", tally.Kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}");
                foreach (var f in tally.FirstFailures) Console.WriteLine("  " + f);
            }
            Console.WriteLine($"process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB");
            return tallies.Sum(t => t.Failures) == 0 ? 0 : 1;
        }
        finally
        {
            TryDelete(scratch);
        }
    }

    /// <summary>The C# generators, HDF5 from h5py (alone and inside a .keras), and progressive JPEGs.</summary>
    private static IEnumerable<HostileGenerator> Generators(string scratch, int cases, int seed)
    {
        foreach (var g in HostileGenerators.All) yield return g;
        if (HostileH5.Available)
        {
            var h5 = Path.Combine(scratch, "h5-made");
            var kinds = HostileH5.Batch(h5, cases, seed);
            string Made(string dir, int i)
            {
                var kindDir = Directory.CreateDirectory(Path.Combine(dir, "kind-" + kinds[i])).FullName;
                foreach (var f in Directory.GetFiles(Path.Combine(h5, $"case{i}")))
                {
                    // The script's FIFO (an external link's target) is made anew: copying it would block.
                    if (Path.GetFileName(f) == "fifo.h5") HostileGenerators.MakeFifo(Path.Combine(kindDir, "fifo.h5"));
                    else File.Copy(f, Path.Combine(kindDir, Path.GetFileName(f)));
                }
                return Path.Combine(kindDir, "model.weights.h5");
            }
            int n1 = 0, n2 = 0;
            yield return new("h5", (dir, _) => Made(dir, n1++), p => KerasFile.Load(p));
            yield return new("h5-in-keras", (dir, _) =>
            {
                var weights = Made(dir, n2++);
                var path = Path.Combine(Path.GetDirectoryName(weights)!, "model.keras");
                HostileZip.Write(path, [new("config.json", Encoding.UTF8.GetBytes(HostileGenerators.TinyConfig)), new("model.weights.h5", File.ReadAllBytes(weights))]);
                return path;
            }, p => KerasFile.Load(p));
        }
        else Console.WriteLine($"h5: skipped ({HostileH5.AbsentReason})");
        var image = new ImageLoadOptions { Height = 8, Width = 8 };
        yield return new("jpeg-scans", (dir, r) =>
        {
            var path = Path.Combine(dir, "scans.jpg");
            File.WriteAllBytes(path, ProgressiveJpeg.Build(r.Next(8, 129), r.Next(8, 129), r.Next(2) == 0 ? 1 : 3, (x, y) => ((byte)x, (byte)y, (byte)(x ^ y)), r.Next(0, 30_000)));
            return path;
        }, p =>
        {
            if (!ImageDecoder.TryDecode(p, image, out _, out var reason)) throw new ModelFormatException(reason, p);
        });
    }

    private static (string Outcome, string? Detail, long Allocated, TimeSpan Elapsed) RunOne(Action<string> read, string path, TimeSpan timeout, long maxAlloc)
    {
        (string, string?) result = ("hang", null);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var worker = new Thread(() =>
        {
            try { read(path); result = ("accepted", null); }
            catch (ZooException) { result = ("refused", null); }
            catch (Exception e) { result = ("untyped", $"{e.GetType().Name}: {e.Message}"); }
        }) { IsBackground = true };
        worker.Start();
        if (!worker.Join(timeout)) return ("hang", $"still reading after {timeout.TotalSeconds:0} s", 0, clock.Elapsed);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        var (outcome, detail) = result;
        if (allocated > maxAlloc) (outcome, detail) = ("memory", $"allocated {allocated:N0} bytes ({outcome})");
        return (outcome, detail, allocated, clock.Elapsed);
    }

    private static void Record(Tally t, int index, string kind, (string Outcome, string? Detail, long Allocated, TimeSpan Elapsed) r)
    {
        t.Cases++;
        t.Kinds[kind] = t.Kinds.GetValueOrDefault(kind) + 1;
        t.MaxAllocated = Math.Max(t.MaxAllocated, r.Allocated);
        if (r.Elapsed > t.Slowest) t.Slowest = r.Elapsed;
        switch (r.Outcome)
        {
            case "accepted": t.Accepted++; break;
            case "refused": t.Refused++; break;
            default:
                t.Failures++;
                if (t.FirstFailures.Count < 10) t.FirstFailures.Add($"case {index} ({kind}): {r.Outcome}: {r.Detail}");
                break;
        }
    }

    private static int Get(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
