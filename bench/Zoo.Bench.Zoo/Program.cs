using System.Globalization;
using Zoo.Bench.Zoo;
using Zoo.Models.ModelZoo;
using static TorchSharp.torch;

// Zoo model-zoo benchmark: (a) a ResNet50 and a VGG16 Keras HDF5 file to a model ready to predict, against
// h5py reading the same file, each in a fresh process; (b) forward throughput of every zoo model on the CPU.
//
//   dotnet run -c Release --project bench/Zoo.Bench.Zoo [-- --runs N] [--max-runs N] [--budget SECONDS]
//        [--batches 1,8] [--models lenet5,vgg16,…] [--threads T] [--only load|throughput] [--dir DIR] [--before OTHER/Zoo.Bench.Zoo.dll]
//   (internal) load PATH  -> prints "read_s bind_s total_s peak_mb parameters"

if (args.Length == 2 && args[0] == "load") return LoadToReady.Child(args[1]);
if (args.Length == 2 && args[0] == "load-warm") return LoadToReady.Child(args[1], warmFirst: true);

int runs = 3, maxRuns = 5;
double budget = 4;
int[] batches = [1, 8];
string? only = null, before = null;
var models = ZooCatalog.All.Select(e => e.Name).ToList();
string dir = Path.Combine(Path.GetTempPath(), "zoo-bench-zoo");
for (int i = 0; i < args.Length - 1; i++)
{
    var v = args[i + 1];
    switch (args[i])
    {
        case "--runs": runs = int.Parse(v, CultureInfo.InvariantCulture); break;
        case "--max-runs": maxRuns = int.Parse(v, CultureInfo.InvariantCulture); break;
        case "--budget": budget = double.Parse(v, CultureInfo.InvariantCulture); break;
        case "--batches": batches = v.Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture)).ToArray(); break;
        case "--models": models = v.Split(',').Select(m => ZooCatalog.Get(m).Name).ToList(); break;
        case "--threads": set_num_threads(int.Parse(v, CultureInfo.InvariantCulture)); break;
        case "--only": only = v; break;
        case "--before": before = v; break;
        case "--dir": dir = v; break;
    }
}
Directory.CreateDirectory(dir);
// Children run this same program: the apphost directly, or `dotnet Zoo.Bench.Zoo.dll` under `dotnet run`.
var self = Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal)
    ? new[] { Environment.ProcessPath!, typeof(LoadToReady).Assembly.Location }
    : new[] { Environment.ProcessPath! };
Console.WriteLine($"Zoo model-zoo bench, {Environment.ProcessorCount} logical CPUs, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine();
if (only is null or "load") LoadToReady.Run(dir, runs, self, before);
if (only is null or "throughput") Throughput.Run(models, batches, maxRuns, budget);
return 0;
