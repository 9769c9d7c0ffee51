using System.Diagnostics;
using System.Globalization;
using Zoo.FineTune.Callbacks;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Freezing;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Training;
using Zoo.Models.ModelZoo.Applications;
using static TorchSharp.torch;

// Fine-tuning speed: images per second per epoch of ResNet50 (random weights, small input) under each freezing
// policy, and Zoo's Fit step against a plain hand-written TorchSharp loop (same forward, same weights, same
// batches: zero grads, forward, clipped cross-entropy, backward, Keras's SGD or Adam update) on the fully trainable model.
//
//   dotnet run -c Release --project bench/Zoo.Bench.FineTune [-- --size 64] [--samples 64] [--batch 16] [--epochs 2] [--rounds 2] [--compare-only] [--optimizer sgd|adam]
//
// On a shared machine run it with OMP_NUM_THREADS=1: idle intra-op workers spin, so with several threads the
// process CPU time also grows with other jobs' load.

int size = Int("--size", 64), samples = Int("--samples", 64), batch = Int("--batch", 16), epochs = Int("--epochs", 2), rounds = Int("--rounds", 2);
bool compareOnly = args.Contains("--compare-only");
var data = Images(samples, size);
Console.WriteLine($"ResNet50 {size}×{size}×3, 2 classes, {samples} images, batch {batch}, SGD lr 0.01 (Adam lr 0.001 in the comparison), {Environment.ProcessorCount} CPU cores, TorchSharp threads {get_num_threads()}");
Console.WriteLine("images/s per epoch (higher is better); 'setup' is Fit's time outside the epochs (the feature cache is built there)");
Console.WriteLine();
Console.WriteLine("| run | trainable weights | " + string.Join(" | ", Enumerable.Range(1, epochs).Select(e => $"epoch {e}")) + " | setup s |");
Console.WriteLine("|---|---:|" + string.Concat(Enumerable.Repeat("---:|", epochs)) + "---:|");
foreach (var (label, policy, cache) in compareOnly ? [] : new[]
{
    ("small, feature cache", FreezePolicy.Small, true), ("small, no cache", FreezePolicy.Small, false),
    ("medium (last stage trains)", FreezePolicy.Medium, false), ("large (all train)", FreezePolicy.Large, false),
})
{
    using var model = Prepare(policy);
    var timer = new EpochTimer();
    var total = Stopwatch.StartNew();
    model.Fit(data, new FitOptions { Epochs = epochs, BatchSize = batch, Optimizer = new Sgd(0.01), CacheFrozenBase = cache }, timer);
    total.Stop();
    Row(label + (model.UsedFeatureCache ? "" : cache ? " (cache not used)" : ""), model.TrainableWeights.Count, timer.Seconds, total.Elapsed.TotalSeconds - timer.Seconds.Sum());
}

// Our Fit step against the baseline on the fully trainable model, per optimizer. The machine's load can swing
// several-fold within a minute, so the two loops alternate epoch by epoch (two models kept side by side, Fit
// called for one epoch at a time with the same optimizer) and process CPU time is reported beside wall time.
var results = new List<(string Optimizer, (double Wall, double Cpu) Plain, (double Wall, double Cpu) Ours)>();
foreach (var name in OptimizerNames())
{
    using var zoo = Prepare(FreezePolicy.Large);
    using var optimizer = ZooOptimizer(name);
    using var baseline = new HandWrittenLoop(Prepare(FreezePolicy.Large), data, batch, name);
    var (ours, plain) = (new List<(double Wall, double Cpu)>(), new List<(double Wall, double Cpu)>());
    for (int round = 0; round < rounds * epochs; round++)
    {
        var timer = new EpochTimer();
        zoo.Fit(data, new FitOptions { Epochs = 1, BatchSize = batch, Optimizer = optimizer }, timer);
        ours.Add((timer.Seconds[0], timer.CpuSeconds[0]));
        plain.Add(baseline.Epoch());
    }
    // The first epoch of each builds the optimizer's state (Fit) or warms up; best epochs compare the steady state.
    results.Add((name, (plain.Min(e => e.Wall), plain.Min(e => e.Cpu)), (ours.Min(e => e.Wall), ours.Min(e => e.Cpu))));
}
Console.WriteLine();
Console.WriteLine($"Training step, all weights train, best of {rounds * epochs} epochs per loop (alternating epoch by epoch); both loops apply the same Keras update:");
Console.WriteLine("| optimizer | baseline: hand-written TorchSharp loop, images/s (CPU s/epoch) | Zoo TrainableModel.Fit, images/s (CPU s/epoch) | overhead, wall | overhead, CPU time |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var (name, p, z) in results)
    Console.WriteLine(FormattableString.Invariant($"| {name} | {samples / p.Wall:F2} ({p.Cpu:F2}) | {samples / z.Wall:F2} ({z.Cpu:F2}) | {100 * (z.Wall / p.Wall - 1):+0.0;-0.0}% | {100 * (z.Cpu / p.Cpu - 1):+0.0;-0.0}% |"));
return 0;

IEnumerable<string> OptimizerNames()
{
    int i = Array.IndexOf(args, "--optimizer");
    return i >= 0 && i + 1 < args.Length ? new[] { args[i + 1] } : new[] { "sgd", "adam" };
}

Optimizer ZooOptimizer(string name) => name switch
{
    "sgd" => new Sgd(0.01),
    "adam" => new Adam(0.001),
    _ => throw new ArgumentException($"--optimizer takes sgd or adam, not '{name}'"),
};

TrainableModel Prepare(FreezePolicy policy)
{
    var resnet = ResNet.ResNet50(new ApplicationOptions { InputShape = new[] { size, size, 3 }, Seed = 1 });
    var (graph, _) = Freezer.Prepare(resnet, new FineTuneOptions { Policy = policy, NewHeadClasses = 2, Seed = 1 });
    return TrainableModel.FromGraph(graph, seed: 1);
}

void Row(string label, int weights, IReadOnlyList<double> seconds, double setup)
    => Console.WriteLine(FormattableString.Invariant($"| {label} | {weights} | {string.Join(" | ", seconds.Select(s => (samples / s).ToString("F2", CultureInfo.InvariantCulture)))} | {setup:F1} |"));

static ArrayDataset Images(int n, int size)
{
    var rng = new Random(7);
    var x = new float[n * size * size * 3];
    for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
    var y = new float[n * 2];
    for (int i = 0; i < n; i++) y[i * 2 + i % 2] = 1;
    return new ArrayDataset(x, new long[] { n, size, size, 3 }, y, new long[] { n, 2 });
}

int Int(string flag, int fallback)
{
    int i = Array.IndexOf(args, flag);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>Wall and process CPU time of each epoch, from the callback hooks around it.</summary>
internal sealed class EpochTimer : Callback
{
    private readonly Stopwatch watch = new();
    private TimeSpan cpu;

    public List<double> Seconds { get; } = new();

    public List<double> CpuSeconds { get; } = new();

    public override void OnEpochBegin(int epoch, TrainingContext context)
    {
        cpu = Environment.CpuUsage.TotalTime;
        watch.Restart();
    }

    public override void OnEpochEnd(int epoch, IDictionary<string, double> logs, TrainingContext context)
    {
        Seconds.Add(watch.Elapsed.TotalSeconds);
        CpuSeconds.Add((Environment.CpuUsage.TotalTime - cpu).TotalSeconds);
    }
}
