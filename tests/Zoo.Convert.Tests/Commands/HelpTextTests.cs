using System.Text.RegularExpressions;
using Zoo.Convert.Tests.Support;
using Zoo.Formats.IO;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

/// <summary>What --help and the one-line answers tell a newcomer: the values an option takes, defaults once, the next step.</summary>
public sealed class HelpTextTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Convert_help_lists_every_value_of_to_and_dialect()
    {
        var r = CliRunner.Run("convert", "--help");
        foreach (var format in new[] { "h5", "h5-weights", "json", "yaml", "keras", "keras-weights", "onnx" })
            Assert.Matches($@"--to <FORMAT>.*\b{Regex.Escape(format)}\b", string.Join(" ", r.Out.Split('\n').Where(l => l.Contains("--to"))));
        Assert.Contains("keras2 or keras3", r.Out);
    }

    [Fact]
    public void Verify_help_shows_each_tolerance_default_once()
    {
        var r = CliRunner.Run("verify", "--help");
        foreach (var option in new[] { "--atol", "--rtol" })
        {
            var line = r.Out.Split('\n').Single(l => l.TrimStart().StartsWith(option, StringComparison.Ordinal));
            Assert.Single(Regex.Matches(line, "default", RegexOptions.IgnoreCase));
        }
    }

    [Theory]
    [InlineData("predict")]
    [InlineData("verify")]
    [InlineData("finetune")]
    [InlineData("tune")]
    [InlineData("demo")]
    public void Commands_that_run_models_take_threads(string command)
        => Assert.Contains("--threads <N>", CliRunner.Run(command, "--help").Out);

    [Theory]
    [InlineData("finetune")]
    [InlineData("tune")]
    public void Model_has_the_short_alias_m_in_finetune_as_in_tune(string command)
        => Assert.Contains("-m, --model", CliRunner.Run(command, "--help").Out);

    [Fact]
    public void Predict_on_an_architecture_file_asks_for_its_weights()
    {
        Assert.Equal(0, CliRunner.Run("zoo", "create", "lenet5", "--output", dir.File("l.h5")).Code);
        Assert.Equal(0, CliRunner.Run("convert", dir.File("l.h5"), dir.File("l.json")).Code);
        Npy.Write(dir.File("x.npy"), NpyArray.FromFloat32([1, 32, 32, 1], new float[32 * 32]));
        var r = CliRunner.Run("predict", dir.File("l.json"), "--input", dir.File("x.npy"), "--output", dir.File("y.npy"));
        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.Contains("architecture only (json): pass --weights", r.ErrLines[0]);
        var weightsOnly = CliRunner.Run("predict", dir.File("l.h5"), "--weights", dir.File("l.json"), "--input", dir.File("x.npy"), "--output", dir.File("y.npy"));
        Assert.NotEqual(0, weightsOnly.Code);
    }

    [Fact]
    public void Converting_a_full_model_to_json_says_where_its_weights_go()
    {
        Assert.Equal(0, CliRunner.Run("zoo", "create", "lenet5", "--output", dir.File("l.h5")).Code);
        var r = CliRunner.Run("convert", dir.File("l.h5"), dir.File("l.json"));
        Assert.Equal(0, r.Code);
        Assert.Contains("architecture only", r.Out);
        Assert.Contains("--to h5-weights", r.Out);
        Assert.DoesNotContain("61,706 parameters", r.Out);
        // The command it prints works, and the pair it makes predicts.
        var weights = Path.Combine(dir.Path, "l_weights.h5");
        Assert.Contains(weights, r.Out);
        Assert.Equal(0, CliRunner.Run("convert", dir.File("l.h5"), weights, "--to", "h5-weights").Code);
        Npy.Write(dir.File("x.npy"), NpyArray.FromFloat32([1, 32, 32, 1], new float[32 * 32]));
        var predict = CliRunner.Run("predict", dir.File("l.json"), "--weights", weights, "--input", dir.File("x.npy"), "--output", dir.File("y.npy"));
        Assert.True(predict.Code == 0, predict.Err);
    }
}
