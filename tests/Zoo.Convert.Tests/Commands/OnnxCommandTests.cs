using Zoo.Convert;
using Zoo.Convert.Commands;
using Zoo.Formats.IO;
using Zoo.Formats.Tests.Support;
using Zoo.Models.Tests.Parity;
using Zoo.Onnx.Export;
using Zoo.Onnx.Inference;
using Zoo.Onnx.Tests.Lowerings;
using Zoo.Onnx.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

public class OnnxCommandTests
{
    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Zoo.Convert.Cli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [SkippableFact]
    public void Convert_to_an_onnx_file_then_predict_gives_the_Keras_predictions()
    {
        using var dir = new TempDir();
        var onnx = dir.File("cnn.onnx");
        var (code, stdout, stderr) = Cli("convert", Fixtures.Path("dl4j-test-resources/cnn_batch_norm.h5"), onnx);
        Assert.True(code == ExitCodes.Success, stderr);
        Assert.Contains("onnx", stdout);
        var output = dir.File("y.npy");
        var err = new StringWriter();
        var rc = OnnxModelRunner.Predict(onnx, new[] { Fixtures.Path("dl4j-test-resources/cnn_batch_norm_input.npy") }, new[] { Zoo.Formats.IO.OutputTarget.Resolve(output) }, new OnnxRun("auto", Strict: false, Threads: 0), new StringWriter(), err);
        Assert.Equal(ExitCodes.Success, rc);
        Assert.StartsWith("onnxruntime: ", err.ToString());
        Assert.Single(err.ToString().Trim().Split('\n'));
        var y = Npy.Read(output).ToFloat32();
        var expected = Companions.Npy("dl4j-test-resources/cnn_batch_norm_predictions.npy").ToFloat32();
        Assert.True(OnnxParity.MaxAbs(expected, y) <= 1e-5f);
    }

    [SkippableFact]
    public void Strict_cuda_predict_fails_with_the_reason_when_CUDA_cannot_run()
    {
        Skip.If(CudaProbe.MissingLibrary() is null, "CUDA is installed here");
        using var dir = new TempDir();
        var (g, shape) = LayerCases.All["Dense relu"]();
        var onnx = dir.File("m.onnx");
        OnnxExporter.Save(g, onnx);
        Npy.Write(dir.File("x.npy"), NpyArray.FromFloat32(shape, LayerCases.Random(shape, 1)));
        var e = Assert.Throws<Zoo.Formats.UnsupportedFeatureException>(() =>
            OnnxModelRunner.Predict(onnx, new[] { dir.File("x.npy") }, new[] { Zoo.Formats.IO.OutputTarget.Resolve(dir.File("y.npy")) }, new OnnxRun("cuda", Strict: true, Threads: 0), new StringWriter(), new StringWriter()));
        Assert.Contains("CUDA", e.Message);
    }

    [Fact]
    public void Export_triton_writes_config_and_model_that_ONNX_Runtime_runs()
    {
        using var dir = new TempDir();
        var (g, shape) = LayerCases.All["Conv2D same stride 2 odd sizes"]();
        var keras = dir.File("small.h5");
        Zoo.Formats.KerasFile.Save(g, keras);
        var (code, stdout, stderr) = Cli("export-triton", keras, dir.File("repo"), "--max-batch", "4");
        Assert.True(code == ExitCodes.Success, stderr);
        var config = File.ReadAllText(Path.Combine(dir.File("repo"), "small", "config.pbtxt"));
        Assert.Contains("max_batch_size: 4", config);
        Assert.Contains("dims: [ 7, 6, 3 ]", config);
        Assert.Contains("dynamic_batching", config);
        var model = Path.Combine(dir.File("repo"), "small", "1", "model.onnx");
        using var p = new OnnxPredictor(model, OnnxParity.Cpu);
        var y = p.Predict(LayerCases.Random(shape, 2), shape, out var outShape);
        Assert.Equal(new long[] { 2, 4, 3, 4 }, outShape);
        Assert.Contains("wrote", stdout);
    }

    [Fact]
    public void Export_triton_refuses_an_onnx_file_whose_initializer_declares_more_than_it_stores()
    {
        using var dir = new TempDir();
        var (g, _) = LayerCases.All["Dense relu"]();
        var onnx = dir.File("m.onnx");
        var model = OnnxExporter.Export(g);
        model.Graph.Initializer[0].Dims[0] = 1L << 40;
        File.WriteAllBytes(onnx, Google.Protobuf.MessageExtensions.ToByteArray(model));

        var (code, _, stderr) = Cli("export-triton", onnx, dir.File("repo"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("to store", stderr);
        Assert.False(Directory.Exists(Path.Combine(dir.File("repo"), "m")));
    }

    [Fact]
    public void Export_triton_rejects_a_negative_batch_size_as_a_usage_error()
    {
        using var dir = new TempDir();
        var (g, _) = LayerCases.All["Dense relu"]();
        var keras = dir.File("m.h5");
        Zoo.Formats.KerasFile.Save(g, keras);
        Assert.Equal(ExitCodes.Usage, Cli("export-triton", keras, dir.File("repo"), "--max-batch", "-1").Code);
    }

    [Theory]
    [MemberData(nameof(NestedModels.Names), MemberType = typeof(NestedModels))]
    public void Convert_to_onnx_and_export_triton_handle_a_pretrained_base_used_as_a_layer(string name)
    {
        // Issue 14: both failed with "tensor base[1][0] needs call 1 of layer 'base', which has 1".
        using var dir = new TempDir();
        var keras = dir.File("model.h5");
        Zoo.Formats.KerasFile.Save(NestedModels.All[name](), keras);
        var inputs = NestedModels.Inputs(Zoo.Formats.KerasFile.Load(keras));
        var runtime = OnnxParity.Zoo(Zoo.Formats.KerasFile.Load(keras), inputs)[0].Data;

        var converted = Cli("convert", keras, dir.File("model.onnx"));
        Assert.True(converted.Code == ExitCodes.Success, converted.Err);
        var exported = Cli("export-triton", keras, dir.File("repo"), "--name", "transfer");
        Assert.True(exported.Code == ExitCodes.Success, exported.Err);

        foreach (var onnx in new[] { dir.File("model.onnx"), Path.Combine(dir.File("repo"), "transfer", "1", "model.onnx") })
        {
            using var p = new OnnxPredictor(onnx, OnnxParity.Cpu);
            var y = p.Run(inputs)[0].Data;
            Assert.True(OnnxParity.MaxAbs(runtime, y) <= 1e-5f, $"{onnx}: ONNX Runtime vs the TorchSharp runtime {OnnxParity.MaxAbs(runtime, y)} > 1e-5");
        }
    }
}
