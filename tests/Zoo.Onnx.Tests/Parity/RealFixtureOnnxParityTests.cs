using Zoo.Formats;
using Zoo.Formats.Tests.Support;
using Zoo.Models;
using Zoo.Models.Tests.Parity;
using Xunit.Abstractions;
using Zoo.Onnx.Export;
using Zoo.Onnx.Inference;
using Zoo.Onnx.Tests.Lowerings;
using Zoo.Onnx.Tests.Support;
using static TorchSharp.torch;

namespace Zoo.Onnx.Tests.Parity;

public class RealFixtureOnnxParityTests
{
    private readonly ITestOutputHelper log;

    public RealFixtureOnnxParityTests(ITestOutputHelper log) => this.log = log;

    public static IEnumerable<object[]> FullModels => Fixtures.OfKinds("h5-full", "keras3-archive");

    [SkippableTheory]
    [InlineData("simple_sparse_xent_mlp_keras_2")]
    [InlineData("simple_lstm_tf_keras_1")]
    public void DL4J_fixture_on_ONNX_Runtime_matches_Keras_predictions_and_Zoo_within_1e5_of_the_output_scale(string name)
    {
        var io = $"dl4j-test-resources/{name}_inputs_and_outputs.h5";
        var model = Fixtures.Path($"dl4j-test-resources/{name}_model.h5");
        var (x, shape) = Companions.Dl4j(io, "inputs");
        var (expected, _) = Companions.Dl4j(io, "predictions");
        Compare(name, model, x, shape, expected);
    }

    [SkippableFact]
    public void Conv_BatchNorm_fixture_on_ONNX_Runtime_matches_shipped_predictions_and_Zoo_within_1e5()
    {
        var x = Companions.Npy("dl4j-test-resources/cnn_batch_norm_input.npy");
        var expected = Companions.Npy("dl4j-test-resources/cnn_batch_norm_predictions.npy").ToFloat32();
        Compare("cnn_batch_norm", Fixtures.Path("dl4j-test-resources/cnn_batch_norm.h5"), x.ToFloat32(), x.Shape, expected);
    }

    [SkippableFact]
    public void Folding_BatchNormalization_into_the_convolution_changes_outputs_by_at_most_1e5_and_removes_its_nodes()
    {
        var x = Companions.Npy("dl4j-test-resources/cnn_batch_norm_input.npy");
        var graph = KerasFile.Load(Fixtures.Path("dl4j-test-resources/cnn_batch_norm.h5"));
        var plain = OnnxExporter.Export(graph);
        var folded = OnnxExporter.Export(graph, new OnnxExportOptions { FoldBatchNorm = true });
        Assert.True(folded.Graph.Node.Count < plain.Graph.Node.Count, "folding removed no node");
        var a = OnnxParity.Ort(graph, new[] { (x.ToFloat32(), x.Shape) })[0].Data;
        var b = OnnxParity.Ort(graph, new[] { (x.ToFloat32(), x.Shape) }, new OnnxExportOptions { FoldBatchNorm = true })[0].Data;
        var err = OnnxParity.MaxAbs(a, b);
        log.WriteLine($"cnn_batch_norm: folded vs unfolded max abs {err:E2}; nodes {plain.Graph.Node.Count} → {folded.Graph.Node.Count}");
        Assert.True(err <= 1e-5f, $"folding changed outputs by {err}");
    }

    [SkippableTheory]
    [MemberData(nameof(FullModels))]
    public void Every_real_model_the_runtime_runs_exports_to_ONNX_and_agrees_with_it_or_names_what_is_unsupported(string localPath)
    {
        KerasModel model;
        try { model = KerasModel.Load(Fixtures.Path(localPath)); }
        catch (ZooException e) { Skip.If(true, $"the runtime does not run {localPath}: {e.Message}"); return; }
        using (model)
        {
            var shapes = model.InputShapes;
            Skip.If(shapes.Any(s => s is null), $"{localPath} declares no input shape");
            var inputs = shapes.Select((s, i) => s!.Select((d, j) => j == 0 ? 2 : d ?? 32).ToArray())
                .Select((s, i) => (LayerCases.Random(s, i + 1), s)).ToArray();
            using var dir = new TempDir();
            var file = dir.File("m.onnx");
            try { OnnxExporter.Save(model.Graph, file); }
            catch (UnsupportedFeatureException e)
            {
                Assert.Matches("layer '.+'|input '.+'", e.Message);
                log.WriteLine($"{localPath}: not exported: {e.Message}");
                return;
            }
            using var p = new OnnxPredictor(file, OnnxParity.Cpu);
            var ort = p.Run(inputs);
            var zoo = model.Predict(inputs.Select(i => tensor(i.Item1, i.s)).ToArray());
            float worst = 0, scale = 1;
            for (int i = 0; i < zoo.Length; i++)
            {
                Assert.Equal(zoo[i].shape, ort[i].Shape);
                var z = zoo[i].data<float>().ToArray();
                worst = Math.Max(worst, OnnxParity.MaxAbs(z, ort[i].Data));
                scale = Math.Max(scale, z.Max(Math.Abs));
                zoo[i].Dispose();
            }
            // float32 keeps ~7 digits: outputs in the thousands (unnormalized conv stacks) are compared relative to their size.
            log.WriteLine($"{localPath}: ONNX Runtime vs Zoo max abs {worst:E2} (output scale {scale:G3})");
            Assert.True(worst <= 1e-5f * scale, $"{localPath}: ONNX Runtime vs Zoo max abs {worst} at output scale {scale}");
        }
    }


    private void Compare(string name, string modelPath, float[] x, long[] shape, float[] expected)
    {
        using var dir = new TempDir();
        var file = dir.File($"{name}.onnx");
        OnnxExporter.Save(KerasFile.Load(modelPath), file);
        using var p = new OnnxPredictor(file, OnnxParity.Cpu);
        var ort = p.Predict(x, shape, out _);
        using var m = KerasModel.Load(modelPath);
        var zoo = m.Predict(x, shape);
        float vsKeras = OnnxParity.MaxAbs(expected, ort), vsZoo = OnnxParity.MaxAbs(zoo, ort);
        // 1e-5 absolute for outputs up to 1; the Keras 1 LSTM regresses values up to 38, where one float32 ulp is 3.8e-6,
        // so its bound is 1e-5 of the output scale (3.8e-4 there), the same relative precision.
        float tolerance = 1e-5f * Math.Max(1f, expected.Max(Math.Abs));
        log.WriteLine($"{name}: ONNX Runtime vs Keras {vsKeras:E2}, vs Zoo {vsZoo:E2} (tolerance {tolerance:E2})");
        Assert.True(vsKeras <= tolerance, $"{name}: ONNX Runtime vs Keras max abs {vsKeras} > {tolerance}");
        Assert.True(vsZoo <= tolerance, $"{name}: ONNX Runtime vs Zoo max abs {vsZoo} > {tolerance}");
    }
}
