using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Zoo.Formats;
using Zoo.Formats.Ir;

namespace Zoo.Convert.Demo;

/// <summary>
/// The demo's work: write the embedded model in every Keras format, read each file back, convert
/// Keras 3 ⇄ Keras 2, and check every weight bit for bit and every config for equality. When Debian's
/// h5py is present, libhdf5 reads our HDF5 files too and must see the same bytes.
/// </summary>
internal sealed class FormatTour(string outDir, TextWriter log)
{
    public sealed record Row(string Step, string File, long Bytes, double WriteMs, double ReadMs, string Weights, string Config);

    public List<Row> Rows { get; } = new();

    public bool AllGood => Rows.All(r => r.Weights is "identical" or "n/a" && r.Config is "equal" or "n/a");

    public void Run(int seed)
    {
        Directory.CreateDirectory(outDir);
        var model = TourModel.Build(seed);
        log.WriteLine($"Embedded model: LeNet-5 ({model.Layers.Count} layers, {model.ParameterCount():N0} parameters, Adam state of {model.OptimizerWeights.Count} tensors)");

        Step("full model, HDF5 (tf.keras 2.15)", "lenet5.h5", model, KerasFormat.H5Full, weights: true, config: true);
        Step("weights only, HDF5", "lenet5_weights.h5", model, KerasFormat.H5Weights, weights: true, config: false);
        Step("architecture, JSON", "lenet5.json", model, KerasFormat.Json, weights: false, config: true);
        Step("architecture, YAML", "lenet5.yaml", model, KerasFormat.Yaml, weights: false, config: true);
        var k3 = Step("Keras 3 archive (.keras)", "lenet5.keras", model, KerasFormat.KerasArchive, weights: true, config: true);
        Step("Keras 3 weights (.weights.h5)", "lenet5.weights.h5", model, KerasFormat.KerasWeights, weights: true, config: false);

        // Keras 3 → Keras 2 (the conversion no other tool offers), then architecture + weights pairs.
        var back = Step("Keras 3 archive → Keras 2 HDF5", "lenet5_from_keras3.h5", k3, KerasFormat.H5Full, weights: true, config: true,
            expected: model, dialect: KerasDialectKind.Keras2, compareOptimizer: false);
        Pair("JSON + HDF5 weights → model", "lenet5.json", "lenet5_weights.h5", model);
        Pair("JSON + Keras 3 weights → model", "lenet5.json", "lenet5.weights.h5", model);
        IndependentCheck(Path.Combine(outDir, "lenet5.h5"), model);
        IndependentCheck(Path.Combine(outDir, "lenet5_from_keras3.h5"), back);
    }

    private ModelGraph Step(string step, string file, ModelGraph source, KerasFormat format, bool weights, bool config,
        ModelGraph? expected = null, KerasDialectKind? dialect = null, bool compareOptimizer = true)
    {
        var path = Path.Combine(outDir, file);
        var sw = Stopwatch.StartNew();
        KerasFile.Save(source, path, new SaveOptions { Format = format, Dialect = dialect });
        var writeMs = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        var read = KerasFile.Load(path);
        var readMs = sw.Elapsed.TotalMilliseconds;
        expected ??= source;
        var diffs = GraphComparer.Differences(expected, read, compareWeightNames: false, compareConfigs: config)
            .Where(d => compareOptimizer && format == KerasFormat.H5Full || !d.StartsWith("optimizer", StringComparison.Ordinal) && !d.StartsWith("training", StringComparison.Ordinal))
            .Where(d => weights || !d.StartsWith("layer", StringComparison.Ordinal))
            .ToList();
        var weightDiffs = diffs.Where(d => d.StartsWith("layer", StringComparison.Ordinal) || d.StartsWith("optimizer", StringComparison.Ordinal)).ToList();
        Rows.Add(new Row(step, file, new FileInfo(path).Length, writeMs, readMs,
            weights ? (weightDiffs.Count == 0 ? "identical" : $"{weightDiffs.Count} differ") : "n/a",
            config ? (diffs.Contains("model configs differ") ? "differs" : "equal") : "n/a"));
        foreach (var d in diffs) log.WriteLine($"  {step}: {d}");
        return read;
    }

    private void Pair(string step, string arch, string weightsFile, ModelGraph expected)
    {
        var sw = Stopwatch.StartNew();
        var g = KerasFile.Load(Path.Combine(outDir, arch), Path.Combine(outDir, weightsFile));
        var ms = sw.Elapsed.TotalMilliseconds;
        var diffs = GraphComparer.Differences(expected, g, compareWeightNames: false)
            .Where(d => d.StartsWith("layer", StringComparison.Ordinal)).ToList();
        Rows.Add(new Row(step, $"{arch} + {weightsFile}", 0, 0, ms, diffs.Count == 0 ? "identical" : $"{diffs.Count} differ", "n/a"));
    }

    /// <summary>libhdf5 (through Debian's h5py) reads our file: every weight dataset's bytes must hash the same.</summary>
    private void IndependentCheck(string path, ModelGraph expected)
    {
        const string python = "/usr/bin/python3";
        var step = $"libhdf5 (h5py) reads {Path.GetFileName(path)}";
        if (!File.Exists(python)) { Rows.Add(new Row(step, Path.GetFileName(path), 0, 0, 0, "skipped: no /usr/bin/python3", "n/a")); return; }
        const string script = """
            import hashlib, json, sys
            try:
                import h5py
            except ImportError:
                print("NOH5PY"); sys.exit(0)
            out = {}
            with h5py.File(sys.argv[1], "r") as f:
                g = f["model_weights"]
                for ln in g.attrs["layer_names"]:
                    ln = ln.decode() if isinstance(ln, bytes) else ln
                    for wn in g[ln].attrs["weight_names"]:
                        wn = wn.decode() if isinstance(wn, bytes) else wn
                        out[ln + "/" + str(len(out))] = hashlib.sha256(g[ln][wn][()].tobytes()).hexdigest()
            print(json.dumps(sorted(out.values())))
            """;
        var sw = Stopwatch.StartNew();
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        if (output == "NOH5PY" || p.ExitCode != 0) { Rows.Add(new Row(step, Path.GetFileName(path), 0, 0, 0, "skipped: h5py not installed", "n/a")); return; }
        var theirs = JsonSerializer.Deserialize<List<string>>(output)!;
        var ours = expected.AllWeights().Select(w => System.Convert.ToHexString(SHA256.HashData(w.Data)).ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();
        Rows.Add(new Row(step, Path.GetFileName(path), 0, 0, sw.Elapsed.TotalMilliseconds, theirs.SequenceEqual(ours) ? "identical" : "differ", "n/a"));
    }
}
