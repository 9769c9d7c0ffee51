using Zoo.FineTune.Inference;
using Zoo.Formats;
using Zoo.Formats.IO;

namespace Zoo.Convert.Commands;

/// <summary>
/// The ONNX path of <c>predict</c> and <c>verify</c>: runs a <c>.onnx</c> file on ONNX Runtime with the
/// <c>--provider</c> choice, printing the one provider line to stderr. Inputs and outputs are <c>.npy</c>
/// (one model input/output) or <c>.npz</c> (several, keyed by the ONNX names).
/// </summary>
internal static class OnnxModelRunner
{
    /// <summary>The values <c>--provider</c> accepts.</summary>
    public static readonly string[] Providers = { "auto", "cpu", "cuda" };

    /// <summary>Whether <paramref name="path"/> names an ONNX model (by extension: Keras files never end in .onnx).</summary>
    public static bool IsOnnx(string path) => path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens the model with the provider choice; <c>--provider cuda</c> with <paramref name="strict"/> fails instead of falling back.</summary>
    public static OnnxPredictor Open(string modelPath, string provider, bool strict, TextWriter stderr)
    {
        var p = new OnnxPredictor(modelPath, new OnnxPredictorOptions { Provider = OnnxPredictorOptions.ParseProvider(provider), Strict = strict });
        stderr.WriteLine(p.ProviderLine);
        return p;
    }

    /// <summary>Runs <paramref name="modelPath"/> on the arrays in <paramref name="inputPath"/>; returns the outputs by ONNX name, in order.</summary>
    public static IReadOnlyList<KeyValuePair<string, NpyArray>> Run(string modelPath, string inputPath, string provider, bool strict, TextWriter stderr)
    {
        using var p = Open(modelPath, provider, strict, stderr);
        var inputs = ReadInputs(inputPath, p.InputNames);
        var outputs = p.Run(inputs.Select(a => (a.ToFloat32(), a.Shape)).ToArray());
        return outputs.Select((o, i) => new KeyValuePair<string, NpyArray>(p.OutputNames[i], NpyArray.FromFloat32(o.Shape, o.Data))).ToArray();
    }

    /// <summary><c>predict m.onnx --input X --output Y</c>: writes Y (.npy for one output, .npz for several) and prints a summary line.</summary>
    public static int Predict(string modelPath, string inputPath, string outputPath, string provider, bool strict, TextWriter stdout, TextWriter stderr)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var outputs = Run(modelPath, inputPath, provider, strict, stderr);
        if (outputPath.EndsWith(".npz", StringComparison.OrdinalIgnoreCase)) Npz.Write(outputPath, outputs);
        else if (outputs.Count == 1) Npy.Write(outputPath, outputs[0].Value);
        else throw new UsageException($"the model has {outputs.Count} outputs ({string.Join(", ", outputs.Select(o => o.Key))}); name the output file .npz");
        stdout.WriteLine($"wrote {outputPath}: " + string.Join(", ", outputs.Select(o => $"{o.Key} [{string.Join(",", o.Value.Shape)}]"))
            + $" in {watch.ElapsedMilliseconds} ms");
        return ExitCodes.Success;
    }

    private static IReadOnlyList<NpyArray> ReadInputs(string path, IReadOnlyList<string> names)
    {
        if (!path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
        {
            if (names.Count != 1) throw new UsageException($"the model has {names.Count} inputs ({string.Join(", ", names)}); pass them as one .npz keyed by those names");
            return new[] { Npy.Read(path) };
        }
        var arrays = Npz.Read(path);
        return names.Select(n => arrays.FirstOrDefault(a => a.Key == n || a.Key == n + ".npy").Value
            ?? throw new ModelFormatException($"expected an array named '{n}' (a model input), found {string.Join(", ", arrays.Select(a => a.Key))}", path)).ToArray();
    }
}
