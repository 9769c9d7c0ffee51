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

// Our Fit step against the baseline on the fully trainable model, per optimizer, alternated so load drift hits both alike.
var results = new List<(string Optimizer, double Plain, double Ours)>();
foreach (var name in OptimizerNames())
{
    var ours = new List<double>();
    var plain = new List<double>();
    for (int round = 0; round < rounds; round++)
    {
        using (var model = Prepare(FreezePolicy.Large))
        {
            var timer = new EpochTimer();
            model.Fit(data, new FitOptions { Epochs = epochs, BatchSize = batch, Optimizer = ZooOptimizer(name) }, timer);
            ours.AddRange(timer.Seconds);
        }
        using (var model = Prepare(FreezePolicy.Large)) plain.AddRange(HandWritten(model, name));
    }
    results.Add((name, plain.Min(), ours.Min()));
}
Console.WriteLine();
Console.WriteLine($"Training step, all weights train, best epoch of {epochs * rounds} per loop (alternating runs); both loops apply the same Keras update:");
Console.WriteLine("| optimizer | baseline: hand-written TorchSharp loop, images/s | Zoo TrainableModel.Fit, images/s | overhead |");
Console.WriteLine("|---|---:|---:|---:|");
foreach (var (name, p, z) in results)
    Console.WriteLine(FormattableString.Invariant($"| {name} | {samples / p:F2} | {samples / z:F2} | {100 * (z / p - 1):+0.0;-0.0}% |"));
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

// The same forward and weights, trained by a loop written directly against TorchSharp: shuffle, zero grads,
// forward, clipped cross-entropy, backward, then Keras's update written by hand the way Zoo's optimizer
// computes it (same operations, so the same roundings), each weight's temporaries freed before the next.
List<double> HandWritten(TrainableModel model, string optimizer)
{
    var weights = model.TrainableWeights;
    using var x = tensor(data.X, data.XShape);
    using var y = tensor(data.Y, data.YShape);
    var moments = optimizer == "adam" ? weights.Select(w => (M: zeros_like(w), V: zeros_like(w))).ToArray() : null;
    var rng = new Random(model.Seed);
    var seconds = new List<double>();
    long t = 0;
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
            t++;
            using (no_grad())
            {
                double alpha = 0.001 * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t));
                for (int i = 0; i < weights.Count; i++)
                {
                    using var perWeight = NewDisposeScope();
                    var (w, g) = (weights[i], weights[i].grad!);
                    if (moments is null) { w.sub_(g * 0.01); continue; }
                    var (m, v) = moments[i];
                    m.add_((g - m).mul_(0.1));
                    v.add_(g.square().sub_(v).mul_(1 - 0.999));
                    w.sub_((m * alpha).div_(v.sqrt().add_(1e-7)));
                }
            }
            _ = loss.item<float>();
        }
        seconds.Add(sw.Elapsed.TotalSeconds);
    }
    foreach (var (m, v) in moments ?? []) { m.Dispose(); v.Dispose(); }
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
