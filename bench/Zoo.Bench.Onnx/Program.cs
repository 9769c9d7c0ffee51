using System.Diagnostics;
using System.Globalization;
using Zoo.Models;
using Zoo.Models.ModelZoo;
using Zoo.Models.ModelZoo.Applications;
using Zoo.Onnx.Export;
using Zoo.Onnx.Inference;

// ONNX Runtime (CPU provider) on Zoo's exported graph against Zoo's TorchSharp runtime, images per second,
// for zoo models at their ImageNet input size with random weights (speed does not depend on the values).
//
//   dotnet run -c Release --project bench/Zoo.Bench.Onnx [-- --models resnet50,vgg16] [--batches 1,8] [--runs 3]

var models = Arg("--models", "resnet50,vgg16").Split(',');
var batches = Arg("--batches", "1,8").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
int runs = int.Parse(Arg("--runs", "3"), CultureInfo.InvariantCulture);
var dir = Directory.CreateTempSubdirectory("zoo-bench-onnx").FullName;
Console.WriteLine($"{Environment.ProcessorCount} CPU cores; best of {runs} timed runs after one warm-up; images/s (higher is better)");
Console.WriteLine("| model | batch | TorchSharp runtime | ONNX Runtime CPU | ONNX Runtime CPU, BN folded |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var name in models)
{
    var entry = ZooCatalog.Get(name);
    var graph = entry.Build(new ApplicationOptions { Seed = 1 });
    var shape = entry.DefaultInputShape;
    var plain = Path.Combine(dir, name + ".onnx");
    var folded = Path.Combine(dir, name + ".folded.onnx");
    OnnxExporter.Save(graph, plain);
    OnnxExporter.Save(graph, folded, new OnnxExportOptions { FoldBatchNorm = true });
    using var torch = KerasModel.FromGraph(graph);
    using var ortPlain = new OnnxPredictor(plain, new OnnxPredictorOptions { Provider = OnnxProvider.Cpu });
    using var ortFolded = new OnnxPredictor(folded, new OnnxPredictorOptions { Provider = OnnxProvider.Cpu });
    foreach (var n in batches)
    {
        long[] dims = { n, shape[0], shape[1], shape[2] };
        var x = new float[dims.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < x.Length; i++) x[i] = (i * 37 % 256) / 127.5f - 1f;
        double t = Best(() => torch.Predict(x, dims));
        double p = Best(() => ortPlain.Predict(x, dims, out _));
        double f = Best(() => ortFolded.Predict(x, dims, out _));
        Console.WriteLine(FormattableString.Invariant($"| {name} | {n} | {n / t:F2} | {n / p:F2} | {n / f:F2} |"));
    }
}
Directory.Delete(dir, recursive: true);
return 0;

double Best(Action run)
{
    run();
    double best = double.MaxValue;
    for (int r = 0; r < runs; r++)
    {
        var sw = Stopwatch.StartNew();
        run();
        best = Math.Min(best, sw.Elapsed.TotalSeconds);
    }
    return best;
}

string Arg(string flag, string fallback)
{
    int i = Array.IndexOf(args, flag);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
