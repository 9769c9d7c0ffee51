using System.Diagnostics;
using System.Globalization;
using Zoo.Bench;
using Zoo.Formats;
using Zoo.Formats.Ir;

// Zoo HDF5 benchmark: VGG16-sized weights-only file (138,357,544 float32 parameters, ~550 MB),
// Zoo against Debian's h5py (libhdf5) in the same run. Each measurement runs in a fresh child
// process so peak memory (VmHWM / ru_maxrss) is that operation's alone.
//
//   dotnet run -c Release --project bench/Zoo.Bench [-- --runs N] [--dir DIR]
//   (internal) zoo-write PATH | zoo-read PATH  -> prints "seconds peak_mb"

if (args.Length == 2 && args[0] is "zoo-write" or "zoo-read")
{
    var sw = Stopwatch.StartNew();
    if (args[0] == "zoo-write")
    {
        var graph = Vgg16Weights.Build();
        sw.Restart();
        KerasFile.Save(graph, args[1], new SaveOptions { Format = KerasFormat.H5Weights });
    }
    else
    {
        var g = KerasFile.Load(args[1]);
        if (g.ParameterCount() != 138_357_544) throw new InvalidDataException($"read {g.ParameterCount()} parameters");
    }
    Console.WriteLine(FormattableString.Invariant($"{sw.Elapsed.TotalSeconds:F3} {PeakMb():F0}"));
    return 0;
}

int runs = 3;
string dir = Path.Combine(Path.GetTempPath(), "zoo-bench");
for (int i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--runs") runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    if (args[i] == "--dir") dir = args[i + 1];
}
Directory.CreateDirectory(dir);
var python = "/usr/bin/python3";
var script = Path.Combine(AppContext.BaseDirectory, "h5py_baseline.py");
var self = Environment.ProcessPath!;
var selfArgs = self.EndsWith("dotnet", StringComparison.Ordinal) ? new[] { typeof(Vgg16Weights).Assembly.Location } : Array.Empty<string>();
var zooFile = Path.Combine(dir, "vgg16_zoo.h5");
var h5pyFile = Path.Combine(dir, "vgg16_h5py.h5");

var rows = new List<(string Op, string Impl, double Secs, double Mb)>();
for (int r = 0; r < runs; r++)
{
    Add("write", "h5py", Run(python, script, "write", h5pyFile));
    Add("write", "Zoo", Run(self, selfArgs.Append("zoo-write").Append(zooFile).ToArray()));
    Add("read", "h5py", Run(python, script, "read", zooFile));
    Add("read", "Zoo", Run(self, selfArgs.Append("zoo-read").Append(zooFile).ToArray()));
}
void Add(string op, string impl, (double Secs, double Mb) m) => rows.Add((op, impl, m.Secs, m.Mb));
var fileMb = new FileInfo(zooFile).Length / 1048576.0;
Console.WriteLine($"VGG16-sized weights file: 138,357,544 float32 parameters, {fileMb:F0} MB; best of {runs} runs; peak memory of the operation's process");
Console.WriteLine($"{"operation",-10}{"impl",-7}{"seconds",10}{"peak MB",10}{"× h5py",9}");
foreach (var op in new[] { "write", "read" })
{
    var best = rows.Where(x => x.Op == op).GroupBy(x => x.Impl).ToDictionary(g => g.Key, g => (Secs: g.Min(x => x.Secs), Mb: g.Min(x => x.Mb)));
    foreach (var impl in new[] { "h5py", "Zoo" })
        Console.WriteLine(FormattableString.Invariant($"{op,-10}{impl,-7}{best[impl].Secs,10:F3}{best[impl].Mb,10:F0}{best[impl].Secs / best["h5py"].Secs,9:F2}"));
}
Console.WriteLine(FormattableString.Invariant($"targets: time within 1.2× of h5py; peak memory under file size + 200 MB = {fileMb + 200:F0} MB"));
File.Delete(zooFile);
File.Delete(h5pyFile);
return 0;

static (double, double) Run(string exe, params string[] a)
{
    var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var x in a) psi.ArgumentList.Add(x);
    using var p = Process.Start(psi)!;
    var output = p.StandardOutput.ReadToEnd();
    var err = p.StandardError.ReadToEnd();
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} {string.Join(' ', a)} failed: {err}");
    var parts = output.Trim().Split(' ');
    return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
}

static double PeakMb()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
    return Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
}
