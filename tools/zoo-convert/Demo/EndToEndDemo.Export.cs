using Zoo.FineTune.Training;
using Zoo.Formats;
using Zoo.Models;
using Zoo.Onnx.Export;
using Zoo.Onnx.Inference;

namespace Zoo.Convert.Demo;

internal sealed partial class EndToEndDemo
{
    /// <summary>The files step 5 writes.</summary>
    internal const string KerasArchive = "lenet5_digits_tuned.keras", Onnx = "lenet5_digits_tuned.onnx";

    /// <summary>
    /// Step 5: the fine-tuned model as a Keras 3 archive (reloaded and compared) and as ONNX, run by ONNX Runtime's
    /// CPU provider against the TorchSharp runtime on held-out shifted digits.
    /// </summary>
    private void Export(TrainableModel tuned)
    {
        var probe = Head(shiftedTest, budget.ParityCount);
        var expected = tuned.Predict(probe.X, probe.XShape);
        var graph = tuned.ExportGraph();

        KerasFile.Save(graph, PathOf(KerasArchive));
        using (var reloaded = KerasModel.Load(PathOf(KerasArchive)))
        {
            var r = Compare(expected, reloaded.Predict(probe.X, probe.XShape));
            Summary.Parity = Summary.Parity with { KerasArchiveMaxAbsError = r.MaxAbs, KerasArchiveBitwise = r.Bitwise };
            Summary.Check($"{KerasArchive} reloads with the same predictions", Describe(r), $"≤ {ReloadTolerance:0e+0}", r.MaxAbs <= ReloadTolerance);
            AddFile(KerasArchive, "Keras 3 archive of the fine-tuned model", Describe(r));
        }

        OnnxExporter.Save(graph, PathOf(Onnx));
        using var onnx = new OnnxPredictor(PathOf(Onnx), new OnnxPredictorOptions
        {
            Provider = OnnxProvider.Cpu, IntraOpThreads = TorchSharp.torch.get_num_threads(),   // as many threads as TorchSharp got (--threads)
        });
        var o = Compare(expected, onnx.Predict(probe.X, probe.XShape, out _));
        Summary.Parity = Summary.Parity with { OnnxMaxAbsError = o.MaxAbs, OnnxProvider = onnx.ProviderLine };
        Summary.Check("ONNX Runtime (CPU) matches TorchSharp", $"max |Δ| {o.MaxAbs:0.00e+0}", $"≤ {OnnxTolerance:0e+0}", o.MaxAbs <= OnnxTolerance);
        AddFile(Onnx, "ONNX (opset 17, NHWC, dynamic batch)", $"ONNX Runtime: max |Δ| {o.MaxAbs:0.00e+0}");
        console.Line($"  {onnx.ProviderLine}; max |Δ| vs TorchSharp {o.MaxAbs:0.00e+0} over {probe.Count} samples");
    }
}
