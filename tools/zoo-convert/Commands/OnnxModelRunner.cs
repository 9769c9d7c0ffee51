using Zoo.Formats.IO;
using Zoo.Onnx.Inference;

namespace Zoo.Convert.Commands;

/// <summary>
/// The ONNX path of <c>predict</c> and <c>verify</c>: runs a <c>.onnx</c> file on ONNX Runtime with the
/// <c>--provider</c> choice (auto, cpu, cuda; strict fails instead of falling back), printing the one provider
/// line to stderr. Same file contract as the Keras path: one <c>.npy</c> per model input and per output, in
/// the model's order (every exported input is float32, so integer arrays such as token ids are converted).
/// </summary>
internal static class OnnxModelRunner
{
    /// <summary>The values <c>--provider</c> accepts.</summary>
    public static readonly string[] Providers = { "auto", "cpu", "cuda" };

    /// <summary>Whether <paramref name="path"/> names an ONNX model (by extension: Keras files never end in .onnx).</summary>
    public static bool IsOnnx(string path) => path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>--provider</c> option shared by predict and verify (used for .onnx models).</summary>
    public static System.CommandLine.Option<string> ProviderOption()
    {
        var o = new System.CommandLine.Option<string>("--provider")
        {
            Description = "ONNX Runtime execution provider for .onnx models: auto (CUDA when its libraries load, else CPU), cpu or cuda.",
            DefaultValueFactory = _ => "auto",
            HelpName = "PROVIDER",
        };
        o.AcceptOnlyFromAmong(Providers);
        return o;
    }

    /// <summary>The <c>--strict-provider</c> option: fail instead of falling back to the CPU.</summary>
    public static System.CommandLine.Option<bool> StrictProviderOption()
        => new("--strict-provider") { Description = "With --provider cuda: fail instead of falling back to the CPU provider." };

    /// <summary>Opens the model with the provider choice and prints which provider runs, and why, on <paramref name="stderr"/>.</summary>
    public static OnnxPredictor Open(string modelPath, OnnxRun run, TextWriter stderr)
    {
        var p = new OnnxPredictor(CommonOptions.Existing(modelPath), new OnnxPredictorOptions
        {
            Provider = OnnxPredictorOptions.ParseProvider(run.Provider), Strict = run.Strict, IntraOpThreads = run.Threads,
        });
        stderr.WriteLine(p.ProviderLine);
        return p;
    }

    /// <summary>Runs the model on one .npy per input; returns every output (ONNX name, array) in order.</summary>
    public static IReadOnlyList<KeyValuePair<string, NpyArray>> Run(string modelPath, IReadOnlyList<string> inputPaths, OnnxRun run, TextWriter stderr)
    {
        using var p = Open(modelPath, run, stderr);
        if (inputPaths.Count != p.InputNames.Count)
            throw new UsageException($"the model has {p.InputNames.Count} input(s) ({string.Join(", ", p.InputNames)}); got {inputPaths.Count} --input");
        var inputs = inputPaths.Select(path => Npy.Read(CommonOptions.Existing(path))).Select(a => (a.ToFloat32(), a.Shape)).ToArray();
        var outputs = p.Run(inputs);
        return outputs.Select((o, i) => new KeyValuePair<string, NpyArray>(p.OutputNames[i], NpyArray.FromFloat32(o.Shape, o.Data))).ToArray();
    }

    /// <summary><c>predict m.onnx --input X.npy… --output Y.npy…</c>: writes one .npy per output and prints one line each.</summary>
    public static int Predict(string modelPath, IReadOnlyList<string> inputPaths, IReadOnlyList<Zoo.Formats.IO.OutputTarget> outputPaths, OnnxRun run,
        TextWriter stdout, TextWriter stderr)
    {
        var outputs = Run(modelPath, inputPaths, run, stderr);
        if (outputPaths.Count != outputs.Count)
            throw new UsageException($"the model has {outputs.Count} output(s) ({string.Join(", ", outputs.Select(o => o.Key))}); got {outputPaths.Count} --output");
        for (int i = 0; i < outputs.Count; i++)
        {
            var path = outputPaths[i].Path;
            Npy.Write(path, outputs[i].Value);
            stdout.WriteLine($"{outputs[i].Key}: [{string.Join(",", outputs[i].Value.Shape)}] -> {path}");
        }
        return ExitCodes.Success;
    }
}

/// <summary>How to run an .onnx model: <c>--provider</c>, <c>--strict-provider</c> and <c>--threads</c> (0: ONNX Runtime's choice).</summary>
internal sealed record OnnxRun(string Provider, bool Strict, int Threads);
