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
// batches: zero grads, forward, clipped cross-entropy, backward, w -= lr·g) on the fully trainable model.
//
//   dotnet run -c Release --project bench/Zoo.Bench.FineTune [-- --size 64] [--samples 64] [--batch 16] [--epochs 2] [--rounds 2] [--compare-only]

int size = Int("--size", 64), samples = Int("--samples", 64), batch = Int("--batch", 16), epochs = Int("--epochs", 2), rounds = Int("--rounds", 2);
bool compareOnly = args.Contains("--compare-only");
var data = Images(samples, size);
Console.WriteLine($"ResNet50 {size}×{size}×3, 2 classes, {samples} images, batch {batch}, SGD lr 0.01, {Environment.ProcessorCount} CPU cores, TorchSharp threads {get_num_threads()}");
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

// Our Fit step against the baseline on the fully trainable model, alternated so load drift hits both alike.
var ours = new List<double>();
var plain = new List<double>();
for (int round = 0; round < rounds; round++)
{
    using (var model = Prepare(FreezePolicy.Large))
    {
        var timer = new EpochTimer();
        model.Fit(data, new FitOptions { Epochs = epochs, BatchSize = batch, Optimizer = new Sgd(0.01) }, timer);
        ours.AddRange(timer.Seconds);
    }
    using (var model = Prepare(FreezePolicy.Large)) plain.AddRange(HandWritten(model));
}
Console.WriteLine();
Console.WriteLine($"Training step, all weights train, best epoch of {ours.Count} (alternating runs):");
Console.WriteLine("| loop | images/s | overhead |");
Console.WriteLine("|---|---:|---:|");
Console.WriteLine(FormattableString.Invariant($"| baseline: hand-written TorchSharp loop | {samples / plain.Min():F2} | — |"));
Console.WriteLine(FormattableString.Invariant($"| Zoo TrainableModel.Fit | {samples / ours.Min():F2} | {100 * (ours.Min() / plain.Min() - 1):+0.0;-0.0}% |"));
return 0;

// The same forward and weights, trained by a loop written directly against TorchSharp: shuffle, zero grads,
// forward, clipped cross-entropy, backward, w -= lr·g.
List<double> HandWritten(TrainableModel model)
{
    var weights = model.TrainableWeights;
    using var x = tensor(data.X, data.XShape);
    using var y = tensor(data.Y, data.YShape);
    var rng = new Random(model.Seed);
    var seconds = new List<double>();
    for (int epoch = 0; epoch < epochs; epoch++)
    {
        var sw = Stopwatch.StartNew();
        var order = Enumerable.Range(0, samples).ToArray();
        rng.Shuffle(order);
        for (int start = 0; start < samples; start += batch)
        {
            using var scope = NewDisposeScope();
            var idx = tensor(order[start..Math.Min(samples, start + batch)].Select(i => (long)i).ToArray());
            foreach (var w in weights) w.grad?.zero_();
            var p = model.Forward(new[] { x.index_select(0, idx) }, training: true)[0];
            var loss = -(y.index_select(0, idx) * p.clamp(1e-7, 1 - 1e-7).log()).sum(-1).mean();
            loss.backward();
            using (no_grad()) foreach (var w in weights) w.sub_(w.grad! * 0.01);
            _ = loss.item<float>();
        }
        seconds.Add(sw.Elapsed.TotalSeconds);
    }
    return seconds;
}

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

/// <summary>Wall time of each epoch, from the callback hooks around it.</summary>
internal sealed class EpochTimer : Callback
{
    private readonly Stopwatch watch = new();

    public List<double> Seconds { get; } = new();

    public override void OnEpochBegin(int epoch, TrainingContext context) => watch.Restart();

    public override void OnEpochEnd(int epoch, IDictionary<string, double> logs, TrainingContext context) => Seconds.Add(watch.Elapsed.TotalSeconds);
}
