using System.CommandLine;
using System.Diagnostics;
using Zoo.Convert.Demo;

namespace Zoo.Convert.Commands;

/// <summary><c>zoo-convert demo</c>: the embedded end-to-end run (no downloads, no inputs).</summary>
internal static class DemoCommand
{
    public const string Name = "demo";

    public static readonly string[] Examples =
    [
        "zoo-convert demo",
        "zoo-convert demo --out /tmp/zoo-demo --seed 7",
    ];

    public static Command Build()
    {
        var outDir = new Option<string>("--out") { Description = "Folder to write the demo's files into.", DefaultValueFactory = _ => "zoo-demo", HelpName = "DIR" };
        var seed = new Option<int>("--seed") { Description = "Seed for the embedded model's weights.", DefaultValueFactory = _ => 2026 };
        var cmd = new Command(Name, "Write an embedded LeNet-5 in every Keras format, read each back, convert Keras 3 ⇄ Keras 2, and check that nothing was lost.")
        {
            outDir, seed,
        };
        cmd.SetAction(r => Cli.Guard(r, stdout =>
        {
            var dir = Path.GetFullPath(r.GetValue(outDir)!);
            var total = Stopwatch.StartNew();
            var tour = new FormatTour(dir, stdout);
            tour.Run(r.GetValue(seed));
            Print(stdout, tour);
            stdout.WriteLine($"Files are in {dir}. Total time {total.Elapsed.TotalSeconds:F1} s.");
            stdout.WriteLine(tour.AllGood ? "Result: lossless — every weight bit-identical, every config equal." : "Result: DIFFERENCES FOUND (see above).");
            return tour.AllGood ? ExitCodes.Success : ExitCodes.VerificationFailed;
        }));
        return cmd;
    }

    private static void Print(TextWriter o, FormatTour tour)
    {
        var header = new[] { "step", "file", "bytes", "write ms", "read ms", "weights", "config" };
        var rows = tour.Rows.Select(r => new[]
        {
            r.Step, r.File, r.Bytes > 0 ? r.Bytes.ToString("N0") : "", r.WriteMs > 0 ? r.WriteMs.ToString("F1") : "",
            r.ReadMs > 0 ? r.ReadMs.ToString("F1") : "", r.Weights, r.Config,
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(x => x[i].Length))).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i is 2 or 3 or 4 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
        o.WriteLine();
        o.WriteLine(Line(header));
        o.WriteLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
        foreach (var row in rows) o.WriteLine(Line(row));
        o.WriteLine();
    }
}
