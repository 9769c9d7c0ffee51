using Zoo.Convert.Tests.Support;
using Zoo.Formats.IO;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

public class PredictCommandTests
{
    [SkippableFact]
    public void Predict_writes_a_float32_npy_that_numpy_reads_with_the_models_output_shape_and_Keras_values()
    {
        using var files = new PredictVerifyFiles();
        var y = files.File("y.npy");
        var r = CliRunner.Run("predict", Fixtures.Path("dl4j-test-resources/cnn_batch_norm.h5"),
            "--input", Fixtures.Path("dl4j-test-resources/cnn_batch_norm_input.npy"), "--output", y);
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Err}");
        Assert.Equal("float32 (5, 1)", PredictVerifyFiles.Python($"import numpy; a = numpy.load('{y}'); print(a.dtype, a.shape)"));
        var expected = Npy.Read(Fixtures.Path("dl4j-test-resources/cnn_batch_norm_predictions.npy")).ToFloat32();
        var ours = Npy.Read(y).ToFloat32();
        Assert.All(ours.Zip(expected), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-5, $"{p.First} vs {p.Second}"));
    }

    [SkippableFact]
    public void Predict_writes_one_file_per_output_in_the_models_output_order()
    {
        using var files = new PredictVerifyFiles();
        var x = files.File("x.npy");
        var rng = new Random(1);
        Npy.Write(x, NpyArray.FromFloat32(new long[] { 2, 12, 12, 3 }, Enumerable.Range(0, 2 * 12 * 12 * 3).Select(_ => (float)rng.NextDouble()).ToArray()));
        string y1 = files.File("y1.npy"), y2 = files.File("y2.npy");
        var r = CliRunner.Run("predict", Fixtures.Path("dl4j-test-resources/12net.h5"), "--input", x, "--output", y1, "--output", y2);
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Err}");
        // 12-net's heads: a 2-way face classifier, then 4 box offsets, each on a 1×1 map.
        Assert.Equal("(2, 1, 1, 2) (2, 1, 1, 4)", PredictVerifyFiles.Python($"import numpy; print(numpy.load('{y1}').shape, numpy.load('{y2}').shape)"));
    }

    [SkippableFact]
    public void Predict_with_fewer_outputs_than_the_model_has_is_a_usage_error()
    {
        using var files = new PredictVerifyFiles();
        var r = CliRunner.Run("predict", Fixtures.Path("dl4j-test-resources/cnn_batch_norm.h5"),
            "--input", Fixtures.Path("dl4j-test-resources/cnn_batch_norm_input.npy"),
            "--input", Fixtures.Path("dl4j-test-resources/cnn_batch_norm_input.npy"), "--output", files.File("y.npy"));
        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.Contains("1 input(s)", r.Err);
        Assert.False(File.Exists(files.File("y.npy")));
    }

    [Fact]
    public void Predict_on_a_missing_model_file_is_bad_input()
    {
        var r = CliRunner.Run("predict", "no-such-model.h5", "--input", "x.npy", "--output", "y.npy");
        Assert.Equal(ExitCodes.BadInput, r.Code);
        Assert.Contains("no such file", r.Err);
    }

    [Fact]
    public void Predict_without_an_output_is_a_usage_error()
    {
        var r = CliRunner.Run("predict", "model.h5", "--input", "x.npy");
        Assert.Equal(ExitCodes.Usage, r.Code);
    }
}
