using Zoo.Models;
using Zoo.FineTune;
using System.Diagnostics;
using System.Globalization;
using Zoo.Bench.Norm;
using Zoo.FineTune.Data;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Training;

// The normalization study: the same CNN, data, epochs and seed with each normalization swapped in, at batch 2 and 64.
// Usage: Zoo.Bench.Norm [--train N] [--val N] [--epochs E] [--seed S] [--batches 2,64] [--only LABEL-SUBSTRING]
int train = 1000, val = 300, epochs = 2, seed = 7;
int[] batches = [2, 64];
string? only = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--train": train = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--val": val = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--epochs": epochs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--batches": batches = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
        case "--only": only = args[++i]; break;
        default: Console.Error.WriteLine($"unknown argument '{args[i]}'"); return 2;
    }
}

// One torch thread: the ops are tiny, and on a shared machine more threads only contend.
TorchSharp.torch.set_num_threads(1);
var trainData = SyntheticDigits.Generate(train, seed);
var valData = SyntheticDigits.Generate(val, seed + 1000);
Console.Error.WriteLine($"{train} training and {val} validation synthetic digits, {epochs} epochs, Adam 1e-3, seed {seed}, {TorchSharp.torch.get_num_threads()} torch threads");

var rows = new List<(string Label, int Batch, double Acc, double Loss, double SecondsPerEpoch)>();
foreach (var variant in NormVariant.All.Where(v => only is null || v.Label.Contains(only, StringComparison.OrdinalIgnoreCase)))
    foreach (int batch in batches)
    {
        var graph = NormCnn.Build(variant, seed);
        using var model = KerasModel.FromGraph(graph);
        var clock = Stopwatch.StartNew();
        var history = model.Fit(trainData, new FitOptions { Epochs = epochs, BatchSize = batch, ValidationData = valData, Optimizer = new Adam(1e-3), Seed = seed });
        double perEpoch = clock.Elapsed.TotalSeconds / epochs;
        var row = (variant.Label, batch, history["val_accuracy"][^1], history["val_loss"][^1], perEpoch);
        rows.Add(row);
        Console.Error.WriteLine($"{row.Label} batch {batch}: val_accuracy {row.Item3:F3}, {perEpoch:F1} s/epoch");
    }

double Baseline(int batch) => rows.First(r => r.Label == "none" && r.Batch == batch).SecondsPerEpoch;
bool hasBaseline = rows.Any(r => r.Label == "none");
Console.WriteLine($"| normalization | batch | val accuracy | val loss | s/epoch | × none |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
foreach (var r in rows.OrderBy(r => r.Batch))
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {r.Label} | {r.Batch} | {r.Acc:F3} | {r.Loss:F3} | {r.SecondsPerEpoch:F1} | {(hasBaseline ? (r.SecondsPerEpoch / Baseline(r.Batch)).ToString("F2", CultureInfo.InvariantCulture) : "–")} |"));
return 0;
