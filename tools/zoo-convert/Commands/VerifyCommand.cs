using System.CommandLine;
using Zoo.Convert.Output;
using Zoo.Convert.Runtime;
using Zoo.Formats;
using Zoo.Formats.Hdf5;
using Zoo.Formats.IO;
using Zoo.Formats.Ir;
using Zoo.Models;
using static TorchSharp.torch;

namespace Zoo.Convert.Commands;

/// <summary>
/// <c>zoo-convert verify MODEL [--weights W] --input X.npy … --expected Y.npy … [--atol A] [--rtol R]
/// [--activations FILE]</c>: runs the model and compares it with outputs Keras produced. An element passes
/// when |ours − expected| ≤ atol + rtol·|expected| (numpy's allclose); any failure exits 1.
/// </summary>
internal static class VerifyCommand
{
    public const string Name = "verify";

    public static readonly string[] Examples =
    [
        "zoo-convert verify model.h5 --input x.npy --expected y.npy",
        "zoo-convert verify model.h5 --input x.npy --expected y.npy --atol 1e-6 --rtol 0",
        "zoo-convert verify model.h5 --input x.npy --activations model_inputs_and_outputs.h5",
        "zoo-convert verify model.onnx --input x.npy --expected y.npy --json > verify.json",
    ];

    public static Command Build()
    {
        var model = CommonOptions.File("MODEL", "The Keras model (full H5, .keras, or an architecture file with --weights).");
        var weights = CommonOptions.Weights();
        var inputs = PredictCommand.Inputs();
        var expected = new Option<string[]>("--expected", "-e")
        {
            Description = "An .npy of what Keras output; repeat once per model output, in the model's output order.",
            HelpName = "Y.npy",
        };
        var atol = new Option<double>("--atol") { Description = "Absolute tolerance.", DefaultValueFactory = _ => 1e-5, HelpName = "A" };
        var rtol = new Option<double>("--rtol") { Description = "Relative tolerance.", DefaultValueFactory = _ => 1e-5, HelpName = "R" };
        var activations = new Option<string?>("--activations")
        {
            Description = "An HDF5 file with an activations/<layer> dataset per layer (the DL4J model-import companion files): compares every layer and names the first that diverges.",
            HelpName = "FILE",
        };
        var provider = OnnxModelRunner.ProviderOption();
        var strict = OnnxModelRunner.StrictProviderOption();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json(VerifyReport.Schema);
        var cmd = new Command(Name, "Run a Keras (or .onnx) model and compare its outputs (and optionally every layer) with Keras's; exit 1 when over tolerance.")
        {
            model, weights, inputs, expected, atol, rtol, activations, provider, strict, threads, json,
        };
        cmd.SetAction(r => Cli.Guard(r, stdout =>
        {
            var expectedPaths = r.GetValue(expected) ?? Array.Empty<string>();
            var activationsPath = r.GetValue(activations);
            double a = r.GetValue(atol), rt = r.GetValue(rtol);
            if (a < 0 || rt < 0 || double.IsNaN(a) || double.IsNaN(rt)) throw new UsageException("--atol and --rtol must be non-negative numbers");
            if (expectedPaths.Length == 0 && activationsPath is null) throw new UsageException("give --expected Y.npy (one per output) or --activations FILE, or both");
            var modelPath = CommonOptions.Existing(r.GetValue(model)!);
            var weightsPath = r.GetValue(weights) is { } w ? CommonOptions.Existing(w) : null;
            var report = OnnxModelRunner.IsOnnx(modelPath)
                ? VerifyOnnx(r, modelPath, r.GetValue(inputs)!, expectedPaths, activationsPath, new OnnxRun(r.GetValue(provider)!, r.GetValue(strict), r.GetValue(threads)), a, rt)
                : TorchThreads.With(r.GetValue(threads), () => VerifyKeras(r, modelPath, weightsPath, r.GetValue(inputs)!, expectedPaths, activationsPath, a, rt));
            if (r.GetValue(json)) stdout.WriteLine(report.ToJson());
            else report.WriteText(stdout);
            return report.Passed ? ExitCodes.Success : ExitCodes.VerificationFailed;
        }));
        return cmd;
    }

    /// <summary>verify for a Keras model on the TorchSharp runtime: graph outputs, and every recorded layer with --activations.</summary>
    private static VerifyReport VerifyKeras(ParseResult r, string modelPath, string? weightsPath, string[] inputs, string[] expectedPaths,
        string? activationsPath, double atol, double rtol)
    {
        var report = new VerifyReport(modelPath, weightsPath, "torchsharp", atol, rtol);
        using var m = LiveProgress.For(r.InvocationConfiguration.Error).Step($"loading {Path.GetFileName(modelPath)}",
            () => PredictCommand.LoadModel(modelPath, weightsPath));
        if (expectedPaths.Length > 0 && expectedPaths.Length != m.OutputNames.Count)
            throw new UsageException($"the model has {m.OutputNames.Count} output(s) ({string.Join(", ", m.OutputNames)}); got {expectedPaths.Length} --expected");
        var reference = expectedPaths.Select(p => Npy.Read(CommonOptions.Existing(p))).ToArray();
        var layerReference = activationsPath is null ? null : ReadActivations(CommonOptions.Existing(activationsPath));
        var xs = PredictCommand.ReadInputs(m, inputs);
        try
        {
            if (reference.Length > 0)
            {
                var ys = m.Predict(xs);
                try
                {
                    for (int i = 0; i < ys.Length; i++)
                        report.Outputs.Add(Compare(m.OutputNames[i], ys[i], reference[i].Shape, reference[i].ToFloat32(), atol, rtol));
                }
                finally { foreach (var y in ys) y.Dispose(); }
            }
            if (layerReference is not null)
            {
                report.ActivationsFile = Path.GetFileName(activationsPath);
                report.Layers = CompareLayers(m, xs, layerReference, atol, rtol);
            }
        }
        finally { foreach (var x in xs) x.Dispose(); }
        return report;
    }

    /// <summary>verify for an .onnx model: ONNX Runtime's outputs against the expected .npy files (graph outputs only).</summary>
    private static VerifyReport VerifyOnnx(ParseResult r, string model, string[] inputs, string[] expectedPaths, string? activations,
        OnnxRun run, double atol, double rtol)
    {
        if (activations is not null) throw new UsageException("--activations needs a Keras model: an .onnx file exposes only its graph outputs");
        var report = new VerifyReport(model, null, "onnxruntime", atol, rtol);
        var outputs = OnnxModelRunner.Run(model, inputs, run, r.InvocationConfiguration.Error);
        if (expectedPaths.Length != outputs.Count)
            throw new UsageException($"the model has {outputs.Count} output(s) ({string.Join(", ", outputs.Select(o => o.Key))}); got {expectedPaths.Length} --expected");
        for (int i = 0; i < outputs.Count; i++)
        {
            var expected = Npy.Read(CommonOptions.Existing(expectedPaths[i]));
            using var actual = TorchSharp.torch.tensor(outputs[i].Value.ToFloat32(), outputs[i].Value.Shape);
            report.Outputs.Add(Compare(outputs[i].Key, actual, expected.Shape, expected.ToFloat32(), atol, rtol));
        }
        return report;
    }

    private static List<TensorCheck> CompareLayers(KerasModel m, Tensor[] xs, Dictionary<string, NpyArray> reference, double atol, double rtol)
    {
        var ours = m.PredictActivations(xs);
        try
        {
            // Our dictionary is in execution order, so the first failure is the first layer that diverges.
            var checks = new List<TensorCheck>();
            foreach (var (layer, value) in ours)
                if (reference.TryGetValue(layer, out var want))
                    checks.Add(Compare(layer, value, want.Shape, want.ToFloat32(), atol, rtol));
            foreach (var (k, want) in reference.Where(kv => !ours.ContainsKey(kv.Key)))
                checks.Add(new TensorCheck(k, [], want.Shape, double.NaN, double.NaN, false, VerifyReport.NoSuchLayer));
            return checks;
        }
        finally { foreach (var t in ours.Values) t.Dispose(); }
    }

    private static TensorCheck Compare(string name, Tensor actual, long[] expectedShape, float[] expected, double atol, double rtol)
    {
        var shape = actual.shape;
        var ours = actual.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        if (ours.Length != expected.Length)
            return new(name, shape, expectedShape, double.NaN, double.NaN, false, $"shape [{string.Join(",", shape)}], expected [{string.Join(",", expectedShape)}]");
        double maxAbs = 0, maxRel = 0;
        bool pass = true;
        for (int i = 0; i < ours.Length; i++)
        {
            double e = expected[i], d = Math.Abs(ours[i] - e);
            if (double.IsNaN(d)) { pass &= double.IsNaN(e) && float.IsNaN(ours[i]); if (!pass) maxAbs = double.NaN; continue; }
            if (!double.IsNaN(maxAbs)) maxAbs = Math.Max(maxAbs, d);
            if (e != 0) maxRel = Math.Max(maxRel, d / Math.Abs(e));
            if (!(d <= atol + rtol * Math.Abs(e))) pass = false;
        }
        return new(name, shape, expectedShape, maxAbs, maxRel, pass);
    }

    private static Dictionary<string, NpyArray> ReadActivations(string path)
    {
        var root = H5TreeReader.Read(path);
        if (root["activations"] is not H5TreeGroup g)
            throw new ModelFormatException($"expected an 'activations' group with one dataset per layer, found {(root["activations"] is null ? "none" : "a dataset")}", path, "activations");
        return g.Children.OfType<H5TreeDataset>()
            .ToDictionary(d => d.Name, d => new NpyArray(d.Shape, d.DType, d.Data), StringComparer.Ordinal);
    }
}
