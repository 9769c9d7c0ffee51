using System.Diagnostics;
using Zoo.Formats.Config;
using Zoo.Formats.IO;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Tests.Fuzzing;

/// <summary>
/// Seeds for every reader: the real Keras-written fixtures (by MANIFEST kind, read-only, never copied into
/// the repository), files Zoo itself writes from a few small models in every format, and HDF5 files made
/// with h5py holding what our writer cannot express (cyclic hard links, soft/external links, chunked gzip data).
/// </summary>
public sealed class SeedLibrary(string? fixturesRoot, long maxSeedBytes, string scratch)
{
    private const string Python = "/usr/bin/python3";
    private readonly Dictionary<string, List<FuzzInput>> written = new();
    private List<FuzzInput>? h5py;

    /// <summary>The scratch folder seeds are written in.</summary>
    public string Scratch => scratch;

    /// <summary>The fixtures of the given MANIFEST kinds no larger than the size cap (tfjs models carry their shards).</summary>
    public IEnumerable<FuzzInput> Fixtures(params string[] kinds)
    {
        if (fixturesRoot is null) yield break;
        var lines = File.ReadAllLines(Path.Combine(fixturesRoot, "MANIFEST.tsv"));
        var header = lines[0].Split('\t');
        int pathCol = Array.IndexOf(header, "local_path"), kindCol = Array.IndexOf(header, "kind");
        foreach (var cols in lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')))
        {
            if (!kinds.Contains(cols[kindCol])) continue;
            var full = Path.Combine(fixturesRoot, cols[pathCol]);
            if (!File.Exists(full) || new FileInfo(full).Length > maxSeedBytes) continue;
            var companions = new Dictionary<string, byte[]>();
            if (cols[kindCol] == "tfjs-model")
                foreach (var shard in Directory.GetFiles(Path.GetDirectoryName(full)!, "*.bin"))
                    companions[Path.GetFileName(shard)] = File.ReadAllBytes(shard);
            yield return new FuzzInput(cols[pathCol], File.ReadAllBytes(full), companions);
        }
    }

    /// <summary>
    /// Files Zoo writes with <see cref="KerasFile.Save"/> in the format named by <paramref name="extension"/> (".h5", "w.h5",
    /// ".keras", ".weights.h5", ".json", ".yaml", ".npy", ".npz"), or with <paramref name="save"/> for a writer of
    /// another library (ONNX), from the same seed models.
    /// </summary>
    public IEnumerable<FuzzInput> ZooWritten(string extension, Action<ModelGraph, string>? save = null)
    {
        lock (written)
        {
            if (!written.TryGetValue(extension, out var list)) written[extension] = list = Write(extension, save).ToList();
            return list;
        }
    }

    /// <summary>HDF5 files made by h5py that our writer cannot make (empty when h5py is absent).</summary>
    public IEnumerable<FuzzInput> H5pyMade()
    {
        lock (written)
        {
            return h5py ??= MakeWithH5py().ToList();
        }
    }

    private IEnumerable<FuzzInput> Write(string extension, Action<ModelGraph, string>? save)
    {
        foreach (var (name, graph) in Graphs())
        {
            var path = Path.Combine(scratch, $"seed-{name}{(extension == "w.h5" ? ".h5" : extension)}");
            try
            {
                switch (extension)
                {
                    case "w.h5": KerasFile.Save(graph, path, new SaveOptions { Format = KerasFormat.H5Weights }); break;
                    case ".npy": Npy.Write(path, FirstArray(graph)); break;
                    case ".npz": Npz.Write(path, Arrays(graph)); break;
                    default: (save ?? ((g, p) => KerasFile.Save(g, p)))(graph, path); break;
                }
            }
            catch (ZooException) { continue; } // a model this format cannot hold
            var bytes = File.ReadAllBytes(path);
            File.Delete(path);
            if (bytes.Length <= maxSeedBytes) yield return new FuzzInput($"zoo:{name}{extension}", bytes);
        }
    }

    private IEnumerable<(string Name, ModelGraph Graph)> Graphs()
    {
        yield return ("builtin-mlp", BuiltinGraph());
        if (fixturesRoot is null) yield break;
        foreach (var f in new[] { "dl4j-test-resources/embedding_lstm_tensorflow_2.h5", "hls4ml/conv2d_1layer.h5", "dl4j-test-resources/cnn_batch_norm.h5" })
        {
            var full = Path.Combine(fixturesRoot, f);
            if (File.Exists(full)) yield return (Path.GetFileNameWithoutExtension(f), KerasFile.Load(full));
        }
    }

    /// <summary>A two-layer Sequential model with weights, so seeds exist even without the fixtures.</summary>
    public static ModelGraph BuiltinGraph()
    {
        const string config = """
            {"class_name": "Sequential", "config": {"name": "seq", "layers": [
              {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "dtype": "float32", "name": "in"}},
              {"class_name": "Dense", "config": {"name": "dense", "units": 3, "activation": "relu", "use_bias": true}},
              {"class_name": "Dense", "config": {"name": "head", "units": 2, "activation": "softmax", "use_bias": true}}]},
             "keras_version": "2.15.0", "backend": "tensorflow"}
            """;
        var g = ModelConfigCodec.Parse(KerasJson.Parse(config), "builtin");
        var r = new Random(7);
        float[] F(int n) => Enumerable.Range(0, n).Select(_ => (float)r.NextDouble()).ToArray();
        var dense = g.Layers.First(l => l.Name == "dense");
        dense.Weights.Add(WeightTensor.FromFloat32("dense/kernel:0", [4, 3], F(12)));
        dense.Weights.Add(WeightTensor.FromFloat32("dense/bias:0", [3], F(3)));
        var head = g.Layers.First(l => l.Name == "head");
        head.Weights.Add(WeightTensor.FromFloat32("head/kernel:0", [3, 2], F(6)));
        head.Weights.Add(WeightTensor.FromFloat32("head/bias:0", [2], F(2)));
        return g;
    }

    private static NpyArray FirstArray(ModelGraph g)
    {
        var w = g.Layers.SelectMany(l => l.Weights).First();
        return new NpyArray(w.Shape, w.DType, w.Data);
    }

    private static IEnumerable<KeyValuePair<string, NpyArray>> Arrays(ModelGraph g)
        => g.Layers.SelectMany(l => l.Weights).Take(6).Select((w, i) => new KeyValuePair<string, NpyArray>($"arr_{i}", new NpyArray(w.Shape, w.DType, w.Data)));

    private IEnumerable<FuzzInput> MakeWithH5py()
    {
        if (!File.Exists(Python)) yield break;
        var dir = Directory.CreateDirectory(Path.Combine(scratch, "h5py-seeds")).FullName;
        const string script = """
            import sys, h5py, numpy as np, os
            d = sys.argv[1]
            def base(name):
                f = h5py.File(os.path.join(d, name), 'w')
                f.attrs['layer_names'] = np.array([b'dense'], dtype='S5')
                g = f.create_group('dense')
                g.attrs['weight_names'] = np.array([b'dense/kernel:0'], dtype='S14')
                g.create_dataset('dense/kernel:0', data=np.arange(12, dtype='float32').reshape(4, 3))
                return f
            f = base('cycle.h5'); f['dense/dense/loop'] = f['dense']; f.close()
            f = base('dangling.h5'); f['dense/soft'] = h5py.SoftLink('/nowhere'); f.close()
            f = base('external.h5'); f['dense/ext'] = h5py.ExternalLink('/etc/passwd', '/x'); f.close()
            f = base('alias.h5'); f['dense/alias'] = f['dense/dense/kernel:0']; f.close()
            f = base('gzip.h5'); f['dense'].create_dataset('big', data=np.zeros((256, 256), 'float32'), chunks=(64, 64), compression='gzip'); f.close()
            f = base('vlen.h5'); f['dense'].attrs['weight_names'] = np.array(['dense/kernel:0'], dtype=h5py.string_dtype()); f.close()
            f = base('compound.h5'); f['dense'].create_dataset('c', data=np.zeros(3, dtype=[('a', 'i4'), ('b', 'f8')])); f.close()
            f = base('ragged.h5'); f['dense'].create_dataset('r', (2,), dtype=h5py.vlen_dtype('int32')); f.close()
            """;
        var psi = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(dir);
        using (var p = Process.Start(psi)!)
        {
            p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            if (!p.WaitForExit(60_000) || p.ExitCode != 0) yield break;
        }
        foreach (var f in Directory.GetFiles(dir, "*.h5").Order(StringComparer.Ordinal))
            yield return new FuzzInput("h5py:" + Path.GetFileName(f), File.ReadAllBytes(f));
    }
}
