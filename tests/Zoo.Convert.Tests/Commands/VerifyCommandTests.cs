using Zoo.Convert.Tests.Support;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

public class VerifyCommandTests
{
    private const string Mlp = "dl4j-test-resources/simple_sparse_xent_mlp_keras_2";
    private const string Lstm1 = "dl4j-test-resources/simple_lstm_tf_keras_1";

    [SkippableTheory]
    [InlineData(Mlp)]
    [InlineData(Lstm1)]
    public void Verify_passes_on_the_DL4J_fixtures_against_the_predictions_Keras_recorded(string fixture)
    {
        using var files = new PredictVerifyFiles();
        var x = files.FromDl4j(fixture + "_inputs_and_outputs.h5", "inputs", "x.npy");
        var y = files.FromDl4j(fixture + "_inputs_and_outputs.h5", "predictions", "y.npy");
        var r = CliRunner.Run("verify", Fixtures.Path(fixture + "_model.h5"), "--input", x, "--expected", y);
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Out}{r.Err}");
        Assert.Matches(@"output \S+: \[\d+,\d+\] max abs [0-9.eE+-]+, max rel [0-9.eE+-]+  ok", r.Out);
        Assert.Contains("verification passed", r.Out);
    }

    [SkippableFact]
    public void Verify_binds_a_separate_weights_file_onto_an_architecture_file()
    {
        using var files = new PredictVerifyFiles();
        var x = files.FromDl4j(Mlp + "_inputs_and_outputs.h5", "inputs", "x.npy");
        var y = files.FromDl4j(Mlp + "_inputs_and_outputs.h5", "predictions", "y.npy");
        var r = CliRunner.Run("verify", Fixtures.Path(Mlp + "_config.json"), "--weights", Fixtures.Path(Mlp + "_weights.h5"), "--input", x, "--expected", y);
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Out}{r.Err}");
    }

    [SkippableFact]
    public void Verify_exits_1_and_says_FAIL_when_one_expected_value_is_off_by_1e_3()
    {
        using var files = new PredictVerifyFiles();
        var x = files.FromDl4j(Mlp + "_inputs_and_outputs.h5", "inputs", "x.npy");
        var y = files.Perturbed(files.FromDl4j(Mlp + "_inputs_and_outputs.h5", "predictions", "y.npy"), 1e-3f);
        var r = CliRunner.Run("verify", Fixtures.Path(Mlp + "_model.h5"), "--input", x, "--expected", y);
        Assert.Equal(ExitCodes.VerificationFailed, r.Code);
        Assert.Contains("FAIL", r.Out);
        Assert.Contains("verification FAILED", r.Out);
    }

    [SkippableFact]
    public void Verify_with_a_loose_enough_atol_accepts_the_perturbed_file()
    {
        using var files = new PredictVerifyFiles();
        var x = files.FromDl4j(Mlp + "_inputs_and_outputs.h5", "inputs", "x.npy");
        var y = files.Perturbed(files.FromDl4j(Mlp + "_inputs_and_outputs.h5", "predictions", "y.npy"), 1e-3f);
        var r = CliRunner.Run("verify", Fixtures.Path(Mlp + "_model.h5"), "--input", x, "--expected", y, "--atol", "2e-3", "--rtol", "0");
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Out}{r.Err}");
    }

    [SkippableTheory]
    [InlineData(Mlp, "dense_1", "activation_1")]
    [InlineData(Lstm1, "lstm_1", "dense_1")]
    public void Verify_with_activations_reports_every_recorded_layer(string fixture, string first, string second)
    {
        using var files = new PredictVerifyFiles();
        var x = files.FromDl4j(fixture + "_inputs_and_outputs.h5", "inputs", "x.npy");
        var r = CliRunner.Run("verify", Fixtures.Path(fixture + "_model.h5"), "--input", x, "--activations", Fixtures.Path(fixture + "_inputs_and_outputs.h5"));
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Out}{r.Err}");
        int a = r.Out.IndexOf($"layer {first}:", StringComparison.Ordinal), b = r.Out.IndexOf($"layer {second}:", StringComparison.Ordinal);
        Assert.True(a >= 0 && b > a, $"expected {first} then {second} in execution order:\n{r.Out}");
        Assert.DoesNotContain("FAIL", r.Out);
    }

    [SkippableFact]
    public void Verify_with_activations_names_the_first_layer_that_diverges()
    {
        using var files = new PredictVerifyFiles();
        var x = files.FromDl4j(Mlp + "_inputs_and_outputs.h5", "inputs", "x.npy");
        var h5 = files.File("activations.h5");
        File.Copy(Fixtures.Path(Mlp + "_inputs_and_outputs.h5"), h5);
        // Both layers are perturbed; the first in execution order (dense_1) must be named.
        PredictVerifyFiles.Python($"import h5py\nwith h5py.File('{h5}', 'r+') as f:\n    for k in ('dense_1', 'activation_1'):\n        d = f['activations/' + k]; v = d[()]; v.flat[0] += 0.5; d[...] = v");
        var r = CliRunner.Run("verify", Fixtures.Path(Mlp + "_model.h5"), "--input", x, "--activations", h5);
        Assert.Equal(ExitCodes.VerificationFailed, r.Code);
        Assert.Contains("first layer that diverges: dense_1", r.Out);
    }

    [Fact]
    public void Verify_without_expected_or_activations_is_a_usage_error()
    {
        var r = CliRunner.Run("verify", "model.h5", "--input", "x.npy");
        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.Contains("--expected", r.Err);
    }
}
