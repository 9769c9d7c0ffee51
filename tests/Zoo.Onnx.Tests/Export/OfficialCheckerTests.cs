using System.Diagnostics;
using Zoo.Formats;
using Zoo.Formats.Tests.Support;
using Zoo.Onnx.Export;
using Zoo.Onnx.Tests.Lowerings;

namespace Zoo.Onnx.Tests.Export;

/// <summary>
/// Runs the reference ONNX checker (Python <c>onnx.checker.check_model(full_check=True)</c>: operator schemas
/// and shape inference) over every exported test graph, when Debian's python3-onnx is installed.
/// </summary>
public class OfficialCheckerTests
{
    private const string Python = "/usr/bin/python3";

    private static bool HasOnnx()
    {
        if (!File.Exists(Python)) return false;
        var psi = new ProcessStartInfo(Python, new[] { "-c", "import onnx" }) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        return p.ExitCode == 0;
    }

    [SkippableFact]
    public void Every_exported_test_graph_passes_the_reference_ONNX_checker_with_shape_inference()
    {
        Skip.IfNot(HasOnnx(), "Python's onnx package is not installed (apt-get install python3-onnx)");
        using var dir = new TempDir();
        int i = 0;
        foreach (var (name, build) in LayerCases.All)
        {
            OnnxExporter.Save(build().Graph, dir.File($"case{i++}.onnx"));
            OnnxExporter.Save(build().Graph, dir.File($"case{i++}.onnx"), new OnnxExportOptions { FoldBatchNorm = true, ChannelsFirstIO = true });
        }
        foreach (var a in LayerCases.Activations) OnnxExporter.Save(LayerCases.Activation((string)a[0]).Item1, dir.File($"case{i++}.onnx"));
        foreach (var m in new[] { "Add", "Concatenate", "Subtract" }) OnnxExporter.Save(LayerCases.Merge(m), dir.File($"case{i++}.onnx"));
        foreach (var s in new[] { "dot", "concat" }) OnnxExporter.Save(LayerCases.Attention(s), dir.File($"case{i++}.onnx"));
        OnnxExporter.Save(LayerCases.Dot("{\"axes\": [2, 1], \"normalize\": true}", new long[] { 2, 3, 4 }, new long[] { 2, 4, 5 }), dir.File($"case{i++}.onnx"));
        OnnxExporter.Save(LayerCases.Dot("{\"axes\": -1}", new long[] { 2, 5 }, new long[] { 2, 5 }), dir.File($"case{i++}.onnx"));
        if (Fixtures.KerasRealRoot is not null)
            foreach (var f in new[] { "dl4j-test-resources/cnn_batch_norm.h5", "dl4j-test-resources/simple_lstm_tf_keras_1_model.h5", "dl4j-test-resources/bidirectional_lstm_tensorflow_2.h5" })
                OnnxExporter.Save(KerasFile.Load(Fixtures.Path(f)), dir.File($"case{i++}.onnx"));

        var script = "import onnx,sys,glob\nbad=[]\nfor f in sorted(glob.glob(sys.argv[1]+'/*.onnx')):\n"
            + "  try: onnx.checker.check_model(onnx.load(f), full_check=True)\n  except Exception as e: bad.append(f+': '+str(e).splitlines()[0])\n"
            + "print(len(glob.glob(sys.argv[1]+'/*.onnx')), 'checked'); print('\\n'.join(bad)); sys.exit(1 if bad else 0)";
        var psi = new ProcessStartInfo(Python, new[] { "-c", script, dir.Path }) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, output);
        Assert.Contains($"{i} checked", output);
    }
}
