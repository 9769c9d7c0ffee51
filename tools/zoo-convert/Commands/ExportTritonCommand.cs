using System.CommandLine;
using Onnx;
using Zoo.Formats;
using Zoo.Onnx.Export;
using Zoo.Onnx.Triton;
using Zoo.Onnx.Validation;

namespace Zoo.Convert.Commands;

/// <summary><c>export-triton MODEL DIR</c>: a Triton Inference Server model repository entry from a Keras model or an .onnx file.</summary>
internal static class ExportTritonCommand
{
    public const string Name = "export-triton";

    public static readonly string[] Examples =
    [
        "zoo-convert export-triton model.h5 models --max-batch 16",
        "zoo-convert export-triton model.keras models --name classifier --fold-bn",
        "zoo-convert export-triton model.onnx models --max-batch 0",
    ];

    public static Command Build()
    {
        var model = CommonOptions.File("MODEL", "A Keras model (any format Zoo reads) or an .onnx file.");
        var dir = CommonOptions.File("DIR", "The Triton model repository (created when absent, as every output folder is).");
        var weights = CommonOptions.Weights();
        var maxBatch = new Option<int>("--max-batch") { Description = "Triton max_batch_size (0 turns batching off).", DefaultValueFactory = _ => 8, HelpName = "N" };
        var name = new Option<string?>("--name") { Description = "Model name in the repository (default: MODEL's file name without extension).", HelpName = "NAME" };
        var foldBn = new Option<bool>("--fold-bn") { Description = "Fold BatchNormalization into the preceding convolution." };
        var nchw = new Option<bool>("--nchw") { Description = "Image inputs/outputs as NCHW instead of Keras's NHWC." };
        var cmd = new Command(Name, "Write a Triton Inference Server model repository entry (config.pbtxt + 1/model.onnx).")
        {
            model, dir, weights, maxBatch, name, foldBn, nchw,
        };
        cmd.SetAction(r => Cli.Guard(r, stdout =>
        {
            var inPath = CommonOptions.Existing(r.GetValue(model)!);
            var modelName = r.GetValue(name) ?? Sanitize(Path.GetFileName(inPath).Split('.')[0]);
            if (r.GetValue(maxBatch) < 0) throw new UsageException($"--max-batch must be 0 or more, got {r.GetValue(maxBatch)}");
            ModelProto proto;
            // A stranger's .onnx gets the same checks as before ONNX Runtime opens one: Triton would load what is written.
            if (OnnxModelRunner.IsOnnx(inPath)) proto = OnnxModelFile.Read(inPath);
            else
            {
                var graph = r.GetValue(weights) is { } w ? KerasFile.Load(inPath, CommonOptions.Existing(w)) : KerasFile.Load(inPath);
                proto = OnnxExporter.Export(graph, new OnnxExportOptions { FoldBatchNorm = r.GetValue(foldBn), ChannelsFirstIO = r.GetValue(nchw) });
            }
            var folder = TritonModelRepository.Write(proto, OutputFiles.Folder(r.GetValue(dir)!, "DIR"), modelName, r.GetValue(maxBatch));
            stdout.WriteLine($"wrote {Path.Combine(folder, "config.pbtxt")} and {Path.Combine(folder, "1", "model.onnx")} "
                + $"(max_batch_size {r.GetValue(maxBatch)}; inputs {string.Join(", ", proto.Graph.Input.Select(i => i.Name))}; outputs {string.Join(", ", proto.Graph.Output.Select(o => o.Name))})");
            return ExitCodes.Success;
        }));
        return cmd;
    }

    private static string Sanitize(string s)
    {
        var chars = s.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' ? ch : '_').ToArray();
        return chars.Length == 0 ? "model" : new string(chars);
    }
}
