using System.Globalization;
using Zoo.Formats.Tests.Fuzzing;

/// <summary>
/// A format's counts as one machine-readable line (what a chunk's child process prints), parsing such lines
/// back, summing chunks, and the Markdown table of a campaign.
/// </summary>
internal static class TallyLine
{
    private const string Tag = "TALLY";

    /// <summary>"TALLY format seeds cases elapsed-ms max-alloc slowest-ms ok refused untyped hang memory modified".</summary>
    public static string Format(FuzzTally t) => string.Join(' ',
        new object[] { Tag, t.Format, t.Seeds, t.Cases, (long)t.Elapsed.TotalMilliseconds, t.MaxAllocated, (long)t.Slowest.TotalMilliseconds }
            .Concat(Enum.GetValues<FuzzOutcome>().Select(o => (object)t.Outcomes[o]))
            .Select(x => Convert.ToString(x, CultureInfo.InvariantCulture)));

    /// <summary>The tally in <paramref name="line"/>, or null when it is not a tally line.</summary>
    public static FuzzTally? Parse(string line)
    {
        var p = line.Split(' ');
        var outcomes = Enum.GetValues<FuzzOutcome>();
        if (p.Length != 7 + outcomes.Length || p[0] != Tag) return null;
        long L(int i) => long.Parse(p[i], CultureInfo.InvariantCulture);
        var t = new FuzzTally(p[1]) { Seeds = (int)L(2), Cases = (int)L(3), Elapsed = TimeSpan.FromMilliseconds(L(4)), MaxAllocated = L(5), Slowest = TimeSpan.FromMilliseconds(L(6)) };
        for (int i = 0; i < outcomes.Length; i++) t.Outcomes[outcomes[i]] = (int)L(7 + i);
        return t;
    }

    /// <summary>Chunks of one format summed; elapsed is the longest chunk's (they ran at once).</summary>
    public static FuzzTally Sum(IReadOnlyList<FuzzTally> chunks)
    {
        var t = new FuzzTally(chunks[0].Format) { Seeds = chunks[0].Seeds };
        foreach (var c in chunks)
        {
            t.Cases += c.Cases;
            t.MaxAllocated = Math.Max(t.MaxAllocated, c.MaxAllocated);
            if (c.Slowest > t.Slowest) t.Slowest = c.Slowest;
            if (c.Elapsed > t.Elapsed) t.Elapsed = c.Elapsed;
            foreach (var (o, n) in c.Outcomes) t.Outcomes[o] += n;
        }
        return t;
    }

    /// <summary>Prints the campaign's Markdown table, with each format's rate in cases per second of wall time.</summary>
    public static void PrintTable(IReadOnlyList<FuzzTally> tallies, TimeSpan total)
    {
        Console.WriteLine();
        Console.WriteLine("| format | seeds | cases | ok | ZooException | untyped | hangs | memory | input modified | slow | cases/s | max alloc MiB | slowest ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var t in tallies)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {t.Format} | {t.Seeds} | {t.Cases} | {t.Outcomes[FuzzOutcome.Ok]} | {t.Outcomes[FuzzOutcome.Refused]} | {t.Outcomes[FuzzOutcome.Untyped]} | {t.Outcomes[FuzzOutcome.Hang]} | {t.Outcomes[FuzzOutcome.MemoryBlowup]} | {t.Outcomes[FuzzOutcome.InputModified]} | {t.Outcomes[FuzzOutcome.Slow]} | {t.Cases / Math.Max(0.001, t.Elapsed.TotalSeconds):0.0} | {t.MaxAllocated / 1048576.0:0.0} | {t.Slowest.TotalMilliseconds:0} |"));
        Console.WriteLine($"total {tallies.Sum(t => t.Cases)} cases in {total.TotalMinutes:0.0} min");
    }
}
