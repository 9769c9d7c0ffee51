using System.Diagnostics;

/// <summary>
/// Runs one campaign as <c>--jobs</c> child processes over disjoint case ranges (each child has its own scratch
/// folder, and failing inputs are saved under their global case index, so chunks never collide), then sums them.
/// </summary>
internal static class Chunks
{
    public static int Run(Options opts, string[] args)
    {
        var clock = Stopwatch.StartNew();
        long per = (opts.Cases + opts.Jobs - 1) / opts.Jobs;
        var children = new List<(Process Process, Task<string> Output)>();
        for (int j = 0; j < opts.Jobs; j++)
        {
            long first = opts.First + j * per;
            long count = Math.Min(per, opts.First + opts.Cases - first);
            if (count <= 0) break;
            var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") psi.ArgumentList.Add(typeof(Chunks).Assembly.Location);
            foreach (var a in WithoutChunkOptions(args)) psi.ArgumentList.Add(a);
            foreach (var a in new[] { "--first", first.ToString(System.Globalization.CultureInfo.InvariantCulture), "--cases", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--jobs", "1", "--tally-lines" })
                psi.ArgumentList.Add(a);
            var p = Process.Start(psi)!;
            children.Add((p, p.StandardOutput.ReadToEndAsync()));
        }
        int rc = 0;
        var parts = new List<FuzzTallyLines>();
        foreach (var (p, output) in children)
        {
            p.WaitForExit();
            rc |= p.ExitCode;
            parts.Add(new FuzzTallyLines(output.Result.Split('\n').Select(l => TallyLine.Parse(l.Trim())).OfType<Zoo.Formats.Tests.Fuzzing.FuzzTally>().ToList()));
        }
        var formats = parts.SelectMany(c => c.Tallies.Select(t => t.Format)).Distinct().ToList();
        var sums = formats.Select(f => TallyLine.Sum(parts.SelectMany(c => c.Tallies).Where(t => t.Format == f).ToList())).ToList();
        Console.WriteLine($"seed {opts.Seed}; cases [{opts.First}, {opts.First + opts.Cases}) per format in {children.Count} chunks run at once");
        TallyLine.PrintTable(sums, clock.Elapsed);
        return rc;
    }

    private static IEnumerable<string> WithoutChunkOptions(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "--first" or "--cases" or "--jobs") { i++; continue; }
            yield return args[i];
        }
    }

    private sealed record FuzzTallyLines(List<Zoo.Formats.Tests.Fuzzing.FuzzTally> Tallies);
}
