using System.Diagnostics;
using System.Globalization;
using Zoo.Formats;
using Zoo.Models;
using Zoo.Models.ModelZoo;
using Zoo.Models.ModelZoo.Applications;
using static TorchSharp.torch;

namespace Zoo.Bench.Zoo;

/// <summary>
/// Time from a Keras HDF5 file on disk to a model ready to predict (KerasModel.Load: read the file, build
/// every layer, bind every weight) against Debian's h5py reading every weight dataset of the same file.
/// Each measurement runs in a fresh process; both sides time only their own work, after their libraries
/// are loaded (h5py imported; libtorch initialized), and the parent also reports each process's wall time.
/// </summary>
internal static class LoadToReady
{
    private const string Python = "/usr/bin/python3";

    // Reads every dataset the way Keras's legacy loader walks the file: layer_names, then each layer's weight_names.
    private const string H5pyRead = """
import resource, sys, time
import h5py
t = time.perf_counter()
n = 0
with h5py.File(sys.argv[1], "r") as f:
    root = f["model_weights"] if "model_weights" in f else f
    dec = lambda s: s.decode() if isinstance(s, bytes) else s
    for layer in [dec(x) for x in root.attrs["layer_names"]]:
        g = root[layer]
        for w in [dec(x) for x in g.attrs["weight_names"]]:
            n += g[w][()].size
secs = time.perf_counter() - t
print(f"{secs:.4f} 0 {secs:.4f} 0 {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0:.0f} {n}")
""";

    /// <summary>Child mode: loads <paramref name="path"/> and prints "read_s bind_s total_s forward_s peak_mb parameters".</summary>
    public static int Child(string path, bool warmFirst = false)
    {
        using (var warm = zeros(1)) { _ = warm.sum().item<float>(); }
        // A load thrown away first: what remains is the work itself, without .NET compiling the code on first use.
        if (warmFirst) KerasModel.FromGraph(KerasFile.Load(path), path).Dispose();
        var sw = Stopwatch.StartNew();
        var graph = KerasFile.Load(path);
        var read = sw.Elapsed.TotalSeconds;
        using var model = KerasModel.FromGraph(graph, path);
        var total = sw.Elapsed.TotalSeconds;
        if (!model.Binding.IsComplete) throw new InvalidOperationException($"{path}: the model is not fully bound");
        // A batch-1 pass after the model is ready: what the first prediction costs on top.
        var peak = Peak.Mb();
        using var x = ones(model.InputShapes[0]!.Select((d, i) => i == 0 ? 1 : d ?? 1).ToArray());
        sw.Restart();
        model.Predict(x).Dispose();
        var forward = sw.Elapsed.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant($"{read:F4} {total - read:F4} {total:F4} {forward:F4} {peak:F0} {graph.ParameterCount()}"));
        return 0;
    }

    /// <summary>Writes the ResNet50 and VGG16 files (seeded weights), then times Zoo and h5py on each, interleaved.</summary>
    /// <remarks><paramref name="before"/>: another build's Zoo.Bench.Zoo.dll whose load is timed in the same runs, for a before/after column.</remarks>
    public static void Run(string dir, int runs, string[] self, string? before = null)
    {
        Console.WriteLine($"## File on disk to a model ready to predict (best of {runs}; each run a fresh process)");
        Console.WriteLine();
        Console.WriteLine("| model | file MB | h5py read s | Zoo read s | Zoo build+bind s | Zoo ready s | Zoo ready / h5py | Zoo ready s, 2nd load in process | one forward pass s | h5py process s | Zoo process s | h5py peak MB | Zoo peak MB |" + (before is null ? "" : " before: Zoo ready s / h5py |"));
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + (before is null ? "" : "---:|"));
        foreach (var name in new[] { "resnet50", "vgg16" })
        {
            var file = Path.Combine(dir, name + ".h5");
            KerasFile.Save(ZooCatalog.Get(name).Build(new ApplicationOptions { Seed = 1 }), file);
            var zoo = new List<Sample>();
            var h5py = new List<Sample>();
            var old = new List<Sample>();
            var warm = new List<Sample>();
            for (int r = 0; r < runs; r++)
            {
                if (before is not null) old.Add(Spawn("dotnet", before, "load", file));
                warm.Add(Spawn(self[0], [.. self[1..], "load-warm", file]));
                // Alternate the order so page-cache and neighbour noise hit both alike.
                if (r % 2 == 0) { h5py.Add(Spawn(Python, "-c", H5pyRead, file)); zoo.Add(Spawn(self[0], [.. self[1..], "load", file])); }
                else { zoo.Add(Spawn(self[0], [.. self[1..], "load", file])); h5py.Add(Spawn(Python, "-c", H5pyRead, file)); }
            }
            if (zoo[0].Parameters != h5py[0].Parameters)
                throw new InvalidOperationException($"{name}: Zoo bound {zoo[0].Parameters} parameters, h5py read {h5py[0].Parameters}");
            var bz = zoo.MinBy(s => s.Total)!;
            var bh = h5py.MinBy(s => s.Total)!;
            Console.WriteLine(FormattableString.Invariant(
                $"| {ZooCatalog.Get(name).Title} | {new FileInfo(file).Length / 1048576.0:F0} | {bh.Total:F3} | {bz.Read:F3} | {bz.Bind:F3} | {bz.Total:F3} | **{bz.Total / bh.Total:F2}×** | {warm.Min(s => s.Total):F3} | {zoo.Min(s => s.Forward):F3} | {h5py.Min(s => s.Process):F2} | {zoo.Min(s => s.Process):F2} | {bh.PeakMb:F0} | {bz.PeakMb:F0} |") + (before is null ? "" : FormattableString.Invariant($" {old.Min(o => o.Total):F3} / {old.Min(o => o.Total) / bh.Total:F2}× |")));
            File.Delete(file);
        }
        Console.WriteLine();
        Console.WriteLine("Target: Zoo ready ≤ 1.3× h5py read. \"Zoo ready\" = KerasFile.Load (read) + KerasModel.FromGraph (build every layer and bind every weight: one copy per weight, shapes from an empty-batch probe pass);");
        Console.WriteLine("\"2nd load in process\": the same load after one thrown away in that process, i.e. without .NET compiling Zoo's and PureHDF's code on first use;");
        Console.WriteLine("\"one forward pass\" is a batch-1 prediction timed after the model is ready (not part of it);");
        Console.WriteLine("\"process s\" includes interpreter/runtime start-up, `import h5py` and libtorch loading.");
        Console.WriteLine();
    }

    private sealed record Sample(double Read, double Bind, double Total, double Forward, double PeakMb, long Parameters, double Process);

    private static Sample Spawn(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var process = sw.Elapsed.TotalSeconds;
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} exited {p.ExitCode}: {stderr.Result}");
        var f = stdout.Trim().Split('\n')[^1].Split(' ');
        double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
        return new Sample(D(0), D(1), D(2), D(3), D(4), long.Parse(f[5], CultureInfo.InvariantCulture), process);
    }
}

/// <summary>Peak resident memory of this process.</summary>
internal static class Peak
{
    /// <summary>VmHWM in MB.</summary>
    public static double Mb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        return Environment.WorkingSet / 1048576.0;
    }
}
