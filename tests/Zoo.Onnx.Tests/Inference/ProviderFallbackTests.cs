using Zoo.Formats;
using Zoo.Formats.Tests.Support;
using Zoo.Onnx.Export;
using Zoo.Onnx.Inference;
using Zoo.Onnx.Tests.Lowerings;
using Zoo.Onnx.Tests.Support;

namespace Zoo.Onnx.Tests.Inference;

public class ProviderFallbackTests
{
    private static string Export(TempDir dir)
    {
        var (g, _) = LayerCases.All["Dense relu"]();
        var path = dir.File("m.onnx");
        OnnxExporter.Save(g, path);
        return path;
    }

    private static bool CudaUsable() => CudaProbe.MissingLibrary() is null;

    [SkippableFact]
    public void Requested_CUDA_without_its_libraries_falls_back_to_CPU_with_one_line_naming_the_reason()
    {
        Skip.If(CudaUsable(), "CUDA 13 and cuDNN 9 are installed here, so there is no fallback to see");
        using var dir = new TempDir();
        using var p = new OnnxPredictor(Export(dir), new OnnxPredictorOptions { Provider = OnnxProvider.Cuda });
        Assert.Equal(OnnxProvider.Cpu, p.Provider);
        Assert.DoesNotContain('\n', p.ProviderLine);
        Assert.Contains("CPU provider", p.ProviderLine);
        Assert.Contains("CUDA was requested", p.ProviderLine);
        Assert.Matches(@"lib\w+\.so\.\d+|failed to load", p.ProviderLine);
        var y = p.Predict(new float[15], new long[] { 3, 5 }, out var shape);
        Assert.Equal(new long[] { 3, 4 }, shape);
        Assert.Equal(12, y.Length);
    }

    [SkippableFact]
    public void Strict_CUDA_without_its_libraries_fails_with_the_reason_instead_of_falling_back()
    {
        Skip.If(CudaUsable(), "CUDA 13 and cuDNN 9 are installed here");
        using var dir = new TempDir();
        var e = Assert.Throws<UnsupportedFeatureException>(() =>
            new OnnxPredictor(Export(dir), new OnnxPredictorOptions { Provider = OnnxProvider.Cuda, Strict = true }));
        Assert.Contains("CUDA was required", e.Message);
    }

    [Fact]
    public void CPU_request_says_it_was_requested()
    {
        using var dir = new TempDir();
        using var p = new OnnxPredictor(Export(dir), new OnnxPredictorOptions { Provider = OnnxProvider.Cpu });
        Assert.Equal(OnnxProvider.Cpu, p.Provider);
        Assert.Contains("requested", p.ProviderLine);
    }

    [Fact]
    public void One_predictor_serves_concurrent_callers_with_the_same_answers_as_serial_calls()
    {
        using var dir = new TempDir();
        using var p = new OnnxPredictor(Export(dir), OnnxParity.Cpu);
        var inputs = Enumerable.Range(0, 16).Select(i => LayerCases.Random(new long[] { 4, 5 }, i)).ToArray();
        var serial = inputs.Select(x => p.Predict(x, new long[] { 4, 5 }, out _)).ToArray();
        var parallel = new float[16][];
        Parallel.For(0, 16, i => parallel[i] = p.Predict(inputs[i], new long[] { 4, 5 }, out _));
        for (int i = 0; i < 16; i++) Assert.Equal(serial[i], parallel[i]);
    }

    [Fact]
    public void Provider_names_parse_as_the_CLI_spells_them()
    {
        Assert.Equal(OnnxProvider.Cpu, OnnxPredictorOptions.ParseProvider("cpu"));
        Assert.Equal(OnnxProvider.Cuda, OnnxPredictorOptions.ParseProvider("CUDA"));
        Assert.Equal(OnnxProvider.Auto, OnnxPredictorOptions.ParseProvider("auto"));
        Assert.Throws<UnsupportedFeatureException>(() => OnnxPredictorOptions.ParseProvider("tpu"));
    }

    [Fact]
    public void A_missing_or_corrupt_model_file_is_a_ModelFormatException()
    {
        using var dir = new TempDir();
        Assert.Throws<ModelFormatException>(() => new OnnxPredictor(dir.File("absent.onnx"), OnnxParity.Cpu));
        File.WriteAllBytes(dir.File("bad.onnx"), new byte[] { 1, 2, 3, 4, 5 });
        Assert.Throws<ModelFormatException>(() => new OnnxPredictor(dir.File("bad.onnx"), OnnxParity.Cpu));
    }
}
