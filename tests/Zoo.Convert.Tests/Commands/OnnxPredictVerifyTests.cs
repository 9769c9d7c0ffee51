using Zoo.Convert.Tests.Support;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

public class OnnxPredictVerifyTests
{
    [SkippableFact]
    public void An_exported_onnx_model_verifies_against_kerass_recorded_predictions_on_onnx_runtime()
    {
        var h5 = Fixtures.Path("dl4j-test-resources/cnn_batch_norm.h5");
        var x = Fixtures.Path("dl4j-test-resources/cnn_batch_norm_input.npy");
        var y = Fixtures.Path("dl4j-test-resources/cnn_batch_norm_predictions.npy");
        using var dir = new TempDir();
        var onnx = dir.File("cnn.onnx");
        var convert = CliRunner.Run("convert", h5, onnx);
        Assert.True(convert.Code == 0, convert.Err);

        var ok = CliRunner.Run("verify", onnx, "--input", x, "--expected", y, "--provider", "cpu");
        Assert.True(ok.Code == 0, ok.Out + ok.Err);
        Assert.Contains("verification passed", ok.Out);

        var predicted = dir.File("y.npy");
        var run = CliRunner.Run("predict", onnx, "--input", x, "--output", predicted);
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("CPU", run.Err);
        Assert.Equal(new long[] { 5, 1 }, Zoo.Formats.IO.Npy.Read(predicted).Shape);

        var bad = CliRunner.Run("verify", onnx, "--input", x, "--expected", y, "--activations", h5);
        Assert.Equal(2, bad.Code);
    }
}
