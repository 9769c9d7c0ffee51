using System.CommandLine;
using System.Diagnostics;
using Zoo.Convert.Demo;
using Zoo.Convert.Runtime;
using Zoo.FineTune.Data;

namespace Zoo.Convert.Commands;

/// <summary>
/// <c>zoo-convert demo</c>: the embedded end-to-end run (no downloads, no inputs) — train LeNet-5 on generated
/// digits, save and reload it, fine-tune it on a shifted domain, export it to ONNX and check every step; or,
/// with <c>--formats-only</c>, just the lossless tour of every Keras format.
/// </summary>
internal static class DemoCommand
{
    public const string Name = "demo";

    public static readonly string[] Examples =
    [
        "zoo-convert demo",
        "zoo-convert demo --quick --out /tmp/zoo-demo",
        "zoo-convert demo --json > summary.json",
        "zoo-convert demo --formats-only --seed 7",
    ];

    public static Command Build()
    {
        var outDir = new Option<string>("--output", "-o", "--out") { Description = "Folder to write the demo's files into.", DefaultValueFactory = _ => "zoo-demo", HelpName = "DIR" };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated digits, the initial weights and the shuffling.", DefaultValueFactory = _ => 2026, HelpName = "S" };
        var quick = new Option<bool>("--quick") { Description = "A reduced budget for CI: less data and fewer epochs, every step still runs; accuracy targets are not enforced." };
        var json = CommonOptions.Json(Demo.DemoSummary.SchemaName);
        json.Description += " Progress goes to stderr.";
        var formatsOnly = new Option<bool>("--formats-only") { Description = "Only the lossless tour of every Keras format (an embedded LeNet-5 with random weights)." };
        var domain = new Option<string>("--domain") { Description = "The shifted domain to fine-tune on: inverted (black on white) or rotated (a quarter turn).", DefaultValueFactory = _ => "inverted" };
        domain.AcceptOnlyFromAmong("inverted", "rotated");
        // LeNet-5's small batches gain nothing from more threads than one.
        var threads = CommonOptions.Threads(defaultThreads: 1);
        var cmd = new Command(Name, "Train LeNet-5 on generated digits, save it in the Keras formats and reload it, fine-tune it on a shifted domain, export it to ONNX and check ONNX Runtime against TorchSharp; then write every Keras format and check nothing was lost.")
        {
            outDir, seed, quick, json, formatsOnly, domain, threads,
        };
        cmd.SetAction(r => Cli.Guard(r, stdout =>
        {
            var dir = OutputFiles.Folder(r.GetValue(outDir)!, "--output");
            if (r.GetValue(formatsOnly)) return FormatsOnly(dir, r.GetValue(seed), stdout);
            TorchPrerequisite.Require();
            var budget = (r.GetValue(quick) ? DemoBudget.Quick : DemoBudget.Full) with
            {
                Domain = r.GetValue(domain) == "rotated" ? DigitDomain.Rotated90 : DigitDomain.Inverted,
            };
            var console = new DemoConsole(stdout, r.InvocationConfiguration.Error, r.GetValue(json));
            console.Line($"zoo-convert demo: {budget.Expected} on a two-core machine{(r.GetValue(quick) ? "" : $" (--quick: {DemoBudget.Quick.Expected})")}; files go to {dir}");
            var summary = TorchThreads.With(r.GetValue(threads), () => new EndToEndDemo(dir, r.GetValue(seed), budget, console, r.GetValue(quick)).Run());
            if (r.GetValue(json)) stdout.WriteLine(summary.ToJson());
            else
            {
                DemoSummaryView.Render(console.Ansi, summary);
                stdout.WriteLine($"Files are in {dir}. Open first: history.png (training curves), then finetune_history.png (fine-tuning curves);");
                stdout.WriteLine($"  {EndToEndDemo.FullModel} is the trained model (try 'zoo-convert inspect {Path.Combine(dir, EndToEndDemo.FullModel)}'), "
                    + $"{EndToEndDemo.Onnx} runs in ONNX Runtime, summary.json holds this summary.");
                stdout.WriteLine($"Total time {summary.TotalSeconds:F1} s.");
                stdout.WriteLine(summary.Passed ? "Result: every check passed." : $"Result: {summary.Checks.Count(c => !c.Passed)} CHECK(S) FAILED (see above).");
            }
            return summary.Passed ? ExitCodes.Success : ExitCodes.VerificationFailed;
        }));
        return cmd;
    }

    private static int FormatsOnly(string dir, int seed, TextWriter stdout)
    {
        var total = Stopwatch.StartNew();
        var tour = new FormatTour(dir, stdout);
        tour.Run(seed);
        Print(stdout, tour);
        stdout.WriteLine($"Files are in {dir}. Total time {total.Elapsed.TotalSeconds:F1} s.");
        stdout.WriteLine(tour.AllGood ? "Result: lossless — every weight bit-identical, every config equal." : "Result: DIFFERENCES FOUND (see above).");
        return tour.AllGood ? ExitCodes.Success : ExitCodes.VerificationFailed;
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
