using System.CommandLine;
using System.Globalization;
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
    ];

    private sealed record Check(string Name, long[] Shape, double MaxAbs, double MaxRel, bool Pass, string? Problem = null);

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
        var atol = new Option<double>("--atol") { Description = "Absolute tolerance (default 1e-5).", DefaultValueFactory = _ => 1e-5, HelpName = "A" };
        var rtol = new Option<double>("--rtol") { Description = "Relative tolerance (default 1e-5).", DefaultValueFactory = _ => 1e-5, HelpName = "R" };
        var activations = new Option<string?>("--activations")
        {
            Description = "An HDF5 file with an activations/<layer> dataset per layer (the DL4J model-import companion files): compares every layer and names the first that diverges.",
            HelpName = "FILE",
        };
        var provider = OnnxModelRunner.ProviderOption();
        var strict = OnnxModelRunner.StrictProviderOption();
        var cmd = new Command(Name, "Run a Keras (or .onnx) model and compare its outputs (and optionally every layer) with Keras's; exit 1 when over tolerance.")
        {
            model, weights, inputs, expected, atol, rtol, activations, provider, strict,
        };
        cmd.SetAction(r => Cli.Guard(r, stdout =>
        {
            var expectedPaths = r.GetValue(expected) ?? Array.Empty<string>();
            var activationsPath = r.GetValue(activations);
            double a = r.GetValue(atol), rt = r.GetValue(rtol);
            if (a < 0 || rt < 0 || double.IsNaN(a) || double.IsNaN(rt)) throw new UsageException("--atol and --rtol must be non-negative numbers");
            if (expectedPaths.Length == 0 && activationsPath is null) throw new UsageException("give --expected Y.npy (one per output) or --activations FILE, or both");
            if (OnnxModelRunner.IsOnnx(r.GetValue(model)!))
                return VerifyOnnx(stdout, r, CommonOptions.Existing(r.GetValue(model)!), r.GetValue(inputs)!, expectedPaths, activationsPath,
                    r.GetValue(provider)!, r.GetValue(strict), a, rt);
            using var m = PredictCommand.LoadModel(r.GetValue(model)!, r.GetValue(weights));
            if (expectedPaths.Length > 0 && expectedPaths.Length != m.OutputNames.Count)
                throw new UsageException($"the model has {m.OutputNames.Count} output(s) ({string.Join(", ", m.OutputNames)}); got {expectedPaths.Length} --expected");
            var reference = expectedPaths.Select(p => Npy.Read(CommonOptions.Existing(p))).ToArray();
            var layerReference = activationsPath is null ? null : ReadActivations(CommonOptions.Existing(activationsPath));
            bool pass = true;
            var xs = PredictCommand.ReadInputs(m, r.GetValue(inputs)!);
            try
            {
                if (reference.Length > 0)
                {
                    var ys = m.Predict(xs);
                    try
                    {
                        for (int i = 0; i < ys.Length; i++)
                            pass &= Print(stdout, "output", Compare(m.OutputNames[i], ys[i], reference[i].Shape, reference[i].ToFloat32(), a, rt));
                    }
                    finally { foreach (var y in ys) y.Dispose(); }
                }
                if (layerReference is not null) pass &= CompareLayers(stdout, m, xs, layerReference, activationsPath!, a, rt);
            }
            finally { foreach (var x in xs) x.Dispose(); }
            stdout.WriteLine(pass ? $"verification passed (atol {G(a)}, rtol {G(rt)})" : $"verification FAILED (atol {G(a)}, rtol {G(rt)})");
            return pass ? ExitCodes.Success : ExitCodes.VerificationFailed;
        }));
        return cmd;
    }

    /// <summary>verify for an .onnx model: ONNX Runtime's outputs against the expected .npy files (graph outputs only).</summary>
    private static int VerifyOnnx(TextWriter stdout, ParseResult r, string model, string[] inputs, string[] expectedPaths, string? activations,
        string provider, bool strict, double atol, double rtol)
    {
        if (activations is not null) throw new UsageException("--activations needs a Keras model: an .onnx file exposes only its graph outputs");
        var outputs = OnnxModelRunner.Run(model, inputs, provider, strict, r.InvocationConfiguration.Error);
        if (expectedPaths.Length != outputs.Count)
            throw new UsageException($"the model has {outputs.Count} output(s) ({string.Join(", ", outputs.Select(o => o.Key))}); got {expectedPaths.Length} --expected");
        bool pass = true;
        for (int i = 0; i < outputs.Count; i++)
        {
            var expected = Npy.Read(CommonOptions.Existing(expectedPaths[i]));
            using var actual = TorchSharp.torch.tensor(outputs[i].Value.ToFloat32(), outputs[i].Value.Shape);
            pass &= Print(stdout, "output", Compare(outputs[i].Key, actual, expected.Shape, expected.ToFloat32(), atol, rtol));
        }
        stdout.WriteLine(pass ? $"verification passed (atol {G(atol)}, rtol {G(rtol)})" : $"verification FAILED (atol {G(atol)}, rtol {G(rtol)})");
        return pass ? ExitCodes.Success : ExitCodes.VerificationFailed;
    }

    private static bool CompareLayers(TextWriter stdout, KerasModel m, Tensor[] xs, Dictionary<string, NpyArray> reference,
        string file, double atol, double rtol)
    {
        var ours = m.PredictActivations(xs);
        try
        {
            stdout.WriteLine($"layers ({reference.Count} recorded in {Path.GetFileName(file)}):");
            string? firstBad = null;
            // Our dictionary is in execution order, so the first failure is the first layer that diverges.
            foreach (var (layer, value) in ours)
            {
                if (!reference.TryGetValue(layer, out var want)) continue;
                var check = Compare(layer, value, want.Shape, want.ToFloat32(), atol, rtol);
                if (!Print(stdout, "  layer", check)) firstBad ??= layer;
            }
            var unmatched = reference.Keys.Where(k => !ours.ContainsKey(k)).ToList();
            foreach (var k in unmatched) stdout.WriteLine($"  layer {k}: the model has no layer of that name  FAIL");
            if (firstBad is not null) stdout.WriteLine($"first layer that diverges: {firstBad}");
            return firstBad is null && unmatched.Count == 0;
        }
        finally { foreach (var t in ours.Values) t.Dispose(); }
    }

    private static Check Compare(string name, Tensor actual, long[] expectedShape, float[] expected, double atol, double rtol)
    {
        var shape = actual.shape;
        var ours = actual.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        if (ours.Length != expected.Length)
            return new(name, shape, double.NaN, double.NaN, false, $"shape [{string.Join(",", shape)}], expected [{string.Join(",", expectedShape)}]");
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
        return new(name, shape, maxAbs, maxRel, pass);
    }

    private static bool Print(TextWriter stdout, string what, Check c)
    {
        var detail = c.Problem ?? $"[{string.Join(",", c.Shape)}] max abs {G(c.MaxAbs)}, max rel {G(c.MaxRel)}";
        stdout.WriteLine($"{what} {c.Name}: {detail}  {(c.Pass ? "ok" : "FAIL")}");
        return c.Pass;
    }

    private static Dictionary<string, NpyArray> ReadActivations(string path)
    {
        var root = H5TreeReader.Read(path);
        if (root["activations"] is not H5TreeGroup g)
            throw new ModelFormatException($"expected an 'activations' group with one dataset per layer, found {(root["activations"] is null ? "none" : "a dataset")}", path, "activations");
        return g.Children.OfType<H5TreeDataset>()
            .ToDictionary(d => d.Name, d => new NpyArray(d.Shape, d.DType, d.Data), StringComparer.Ordinal);
    }

    private static string G(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
}
