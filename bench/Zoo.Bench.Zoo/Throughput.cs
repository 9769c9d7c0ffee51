using System.Diagnostics;
using System.Globalization;
using Zoo.Models;
using Zoo.Models.ModelZoo;
using Zoo.Models.ModelZoo.Applications;
using static TorchSharp.torch;

namespace Zoo.Bench.Zoo;

/// <summary>
/// Forward throughput of each zoo model on the CPU at its standard input (224 for the ImageNet models,
/// 299 for InceptionV3, 227 for AlexNet, 32 for LeNet5), with seeded weights and its default head.
/// One warm-up pass, then timed passes until <c>maxRuns</c> or a time budget per cell, so the big
/// models get fewer repetitions; the median pass is reported.
/// </summary>
internal static class Throughput
{
    /// <summary>Prints the images/second table for <paramref name="models"/> at each of <paramref name="batches"/>.</summary>
    public static void Run(IEnumerable<string> models, int[] batches, int maxRuns, double budgetSeconds)
    {
        Console.WriteLine($"## Forward throughput on the CPU (torch threads {get_num_threads()}; median of up to {maxRuns} timed passes, ≤ {budgetSeconds:F0} s per cell, after one warm-up)");
        Console.WriteLine();
        Console.WriteLine("| model | input | parameters | " + string.Join(" | ", batches.Select(b => $"batch {b} ms/pass | batch {b} images/s")) + " |");
        Console.WriteLine("|---|---|---:|" + string.Concat(batches.Select(_ => "---:|---:|")));
        foreach (var name in models)
        {
            var entry = ZooCatalog.Get(name);
            var graph = entry.Build(new ApplicationOptions { Classes = entry.DefaultClasses, Seed = 1 });
            using var model = KerasModel.FromGraph(graph);
            var s = entry.DefaultInputShape;
            var cells = new List<string>();
            foreach (var batch in batches)
            {
                using var x = rand([batch, s[0], s[1], s[2]], generator: manual_seed(batch)) * 2 - 1;
                model.Predict(x).Dispose();
                var times = new List<double>();
                var budget = Stopwatch.StartNew();
                while (times.Count < maxRuns && (times.Count == 0 || budget.Elapsed.TotalSeconds < budgetSeconds))
                {
                    var sw = Stopwatch.StartNew();
                    model.Predict(x).Dispose();
                    times.Add(sw.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                var ms = times[times.Count / 2];
                cells.Add(FormattableString.Invariant($"{ms:F1} | {batch * 1000 / ms:F1}"));
            }
            Console.WriteLine(FormattableString.Invariant($"| {entry.Title} | {s[0]}×{s[1]}×{s[2]} | {graph.ParameterCount():N0} | {string.Join(" | ", cells)} |"));
        }
        Console.WriteLine();
    }
}
