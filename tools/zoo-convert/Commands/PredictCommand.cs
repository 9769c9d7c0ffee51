using System.CommandLine;
using Zoo.Convert.Output;
using Zoo.Convert.Runtime;
using Zoo.Formats;
using Zoo.Formats.IO;
using Zoo.Formats.Ir;
using Zoo.Models;
using static TorchSharp.torch;

namespace Zoo.Convert.Commands;

/// <summary>
/// <c>zoo-convert predict MODEL [--weights W] --input X.npy … --output Y.npy …</c>: runs a Keras model on
/// .npy inputs (in the model's input order) and writes its outputs as float32 .npy (in its output order).
/// </summary>
internal static class PredictCommand
{
    public const string Name = "predict";

    public static readonly string[] Examples =
    [
        "zoo-convert predict model.h5 --input x.npy --output y.npy",
        "zoo-convert predict model.json --weights weights.h5 --input x.npy --output y.npy",
        "zoo-convert predict two_in_two_out.keras --input a.npy --input b.npy --output y1.npy --output y2.npy",
    ];

    /// <summary><c>--input X.npy</c>, repeatable: one per model input, in order.</summary>
    public static Option<string[]> Inputs() => new("--input", "-i")
    {
        Description = "An .npy input (float32, float64 or integer), Keras layout, batch first; repeat once per model input, in the model's input order.",
        HelpName = "X.npy",
        Required = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Command Build()
    {
        var model = CommonOptions.File("MODEL", "The Keras model (full H5, .keras, or an architecture file with --weights).");
        var weights = CommonOptions.Weights();
        var inputs = Inputs();
        var outputs = new Option<string[]>("--output", "-o")
        {
            Description = "Where to write an output as float32 .npy; repeat once per model output, in the model's output order.",
            HelpName = "Y.npy",
            Required = true,
        };
        var provider = OnnxModelRunner.ProviderOption();
        var strict = OnnxModelRunner.StrictProviderOption();
        var threads = CommonOptions.Threads();
        var cmd = new Command(Name, "Run a Keras model (TorchSharp, Keras's numerics) or an .onnx model (ONNX Runtime) on .npy inputs and write its outputs as .npy.")
        {
            model, weights, inputs, outputs, provider, strict, threads,
        };
        cmd.SetAction(r => Cli.Guard(r, stdout =>
        {
            string?[] read = [r.GetValue(model), r.GetValue(weights), .. r.GetValue(inputs)!];
            var targets = r.GetValue(outputs)!.Select(o => OutputFiles.Resolve(o, "--output", read)).ToArray();
            var status = OutputFiles.Status(stdout, r.InvocationConfiguration.Error, targets);
            if (OnnxModelRunner.IsOnnx(r.GetValue(model)!))
                return OnnxModelRunner.Predict(CommonOptions.Existing(r.GetValue(model)!), r.GetValue(inputs)!, targets,
                    new OnnxRun(r.GetValue(provider)!, r.GetValue(strict), r.GetValue(threads)), status, r.InvocationConfiguration.Error);
            var outPaths = targets.Select(t => t.Path).ToArray();
            using var m = LiveProgress.For(r.InvocationConfiguration.Error).Step($"loading {Path.GetFileName(r.GetValue(model))}",
                () => LoadModel(r.GetValue(model)!, r.GetValue(weights)));
            if (outPaths.Length != m.OutputNames.Count)
                throw new UsageException($"the model has {m.OutputNames.Count} output(s) ({string.Join(", ", m.OutputNames)}); got {outPaths.Length} --output");
            var ys = TorchThreads.With(r.GetValue(threads), () => Run(m, r.GetValue(inputs)!));
            try
            {
                for (int i = 0; i < ys.Length; i++)
                {
                    var y = ys[i].to_type(ScalarType.Float32).contiguous();
                    Npy.Write(outPaths[i], NpyArray.FromFloat32(y.shape, y.data<float>().ToArray()));
                    status.WriteLine($"{m.OutputNames[i]}: [{string.Join(",", y.shape)}] -> {outPaths[i]}");
                }
            }
            finally { foreach (var y in ys) y.Dispose(); }
            return ExitCodes.Success;
        }));
        return cmd;
    }

    /// <summary>
    /// Loads MODEL (with W when given) on TorchSharp, checking first that the files exist, that TorchSharp can load
    /// here, and that MODEL holds weights or W is given.
    /// </summary>
    public static KerasModel LoadModel(string model, string? weights)
    {
        var path = CommonOptions.Existing(model);
        var weightsPath = weights is null ? null : CommonOptions.Existing(weights);
        if (weightsPath is null) RequireWeightsIn(path);
        TorchPrerequisite.Require();
        return CommonOptions.InFile(path, () => weightsPath is null ? KerasModel.Load(path) : KerasModel.Load(path, weightsPath));
    }

    /// <summary>Refuses a file that holds only an architecture, or only weights, as the whole model: the other half must come with it.</summary>
    private static void RequireWeightsIn(string path)
    {
        var format = KerasFile.DetectFormat(path);
        if (format is KerasFormat.Json or KerasFormat.Yaml)
            throw new UsageException($"{path}: architecture only ({FormatNames.Of(format)}): pass --weights W with its weights (.h5 from save_weights, or a .weights.h5)");
        if (format is KerasFormat.H5Weights or KerasFormat.KerasWeights)
            throw new UsageException($"{path}: weights only ({FormatNames.Of(format)}): pass the architecture file as MODEL and this file as --weights");
    }

    /// <summary>The .npy files as tensors: integer arrays as int64 (ids for Embedding), the rest as float32.</summary>
    public static Tensor[] ReadInputs(KerasModel m, IReadOnlyList<string> paths)
    {
        if (paths.Count != m.InputNames.Count)
            throw new UsageException($"the model has {m.InputNames.Count} input(s) ({string.Join(", ", m.InputNames)}); got {paths.Count} --input");
        return paths.Select(p =>
        {
            var a = Npy.Read(CommonOptions.Existing(p));
            return a.DType.IsFloat() ? tensor(a.ToFloat32(), a.Shape)
                : tensor(a.ToFloat64().Select(v => (long)v).ToArray(), a.Shape);
        }).ToArray();
    }

    /// <summary>Reads the inputs and runs the model; the caller disposes the outputs.</summary>
    public static Tensor[] Run(KerasModel m, IReadOnlyList<string> inputPaths)
    {
        var xs = ReadInputs(m, inputPaths);
        try { return m.Predict(xs); }
        finally { foreach (var x in xs) x.Dispose(); }
    }
}
