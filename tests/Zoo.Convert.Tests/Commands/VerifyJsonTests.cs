using System.Text.Json;
using Zoo.Convert.Tests.Support;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

/// <summary><c>verify --json</c>: one object with the documented fields, the same verdict and exit code as the text.</summary>
public class VerifyJsonTests
{
    private const string Mlp = "dl4j-test-resources/simple_sparse_xent_mlp_keras_2";

    [SkippableFact]
    public void Verify_json_reports_each_output_with_its_errors_and_passes_with_exit_0()
    {
        using var files = new PredictVerifyFiles();
        var x = files.FromDl4j(Mlp + "_inputs_and_outputs.h5", "inputs", "x.npy");
        var y = files.FromDl4j(Mlp + "_inputs_and_outputs.h5", "predictions", "y.npy");
        var r = CliRunner.Run("verify", Fixtures.Path(Mlp + "_model.h5"), "--input", x, "--expected", y, "--json");
        Assert.True(r.Code == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal("zoo-convert/verify/1", root.GetProperty("schema").GetString());
        Assert.Equal("torchsharp", root.GetProperty("runtime").GetString());
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.Equal(1e-5, root.GetProperty("atol").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("layers").ValueKind);
        var output = Assert.Single(root.GetProperty("outputs").EnumerateArray().ToList());
        Assert.True(output.GetProperty("passed").GetBoolean());
        Assert.True(output.GetProperty("max_abs").GetDouble() <= 1e-5);
        Assert.Equal(output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()),
            output.GetProperty("expected_shape").EnumerateArray().Select(d => d.GetInt64()));
    }

    [SkippableFact]
    public void Verify_json_of_a_perturbed_reference_fails_with_exit_1_and_names_the_error()
    {
        using var files = new PredictVerifyFiles();
        var x = files.FromDl4j(Mlp + "_inputs_and_outputs.h5", "inputs", "x.npy");
        var y = files.Perturbed(files.FromDl4j(Mlp + "_inputs_and_outputs.h5", "predictions", "y.npy"), 1e-3f);
        var r = CliRunner.Run("verify", Fixtures.Path(Mlp + "_model.h5"), "--input", x, "--expected", y, "--json");
        Assert.Equal(ExitCodes.VerificationFailed, r.Code);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.False(doc.RootElement.GetProperty("passed").GetBoolean());
        var output = doc.RootElement.GetProperty("outputs")[0];
        Assert.False(output.GetProperty("passed").GetBoolean());
        Assert.InRange(output.GetProperty("max_abs").GetDouble(), 0.9e-3, 1.1e-3);
    }

    [SkippableFact]
    public void Verify_json_with_activations_lists_every_layer_and_the_first_that_diverges()
    {
        using var files = new PredictVerifyFiles();
        var x = files.FromDl4j(Mlp + "_inputs_and_outputs.h5", "inputs", "x.npy");
        var r = CliRunner.Run("verify", Fixtures.Path(Mlp + "_model.h5"), "--input", x,
            "--activations", Fixtures.Path(Mlp + "_inputs_and_outputs.h5"), "--json");
        Assert.True(r.Code == 0, r.Out + r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var layers = doc.RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.NotEmpty(layers);
        Assert.All(layers, l => Assert.True(l.GetProperty("passed").GetBoolean(), l.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("first_divergent_layer").ValueKind);
        Assert.Empty(doc.RootElement.GetProperty("outputs").EnumerateArray());
    }

    [SkippableFact]
    public void Verify_json_and_text_agree_on_the_verdict_and_the_errors()
    {
        using var files = new PredictVerifyFiles();
        var x = files.FromDl4j(Mlp + "_inputs_and_outputs.h5", "inputs", "x.npy");
        var y = files.Perturbed(files.FromDl4j(Mlp + "_inputs_and_outputs.h5", "predictions", "y.npy"), 2e-4f);
        string[] args = ["verify", Fixtures.Path(Mlp + "_model.h5"), "--input", x, "--expected", y, "--atol", "1e-4"];
        var text = CliRunner.Run(args);
        var json = CliRunner.Run([.. args, "--json"]);
        Assert.Equal(text.Code, json.Code);
        using var doc = JsonDocument.Parse(json.Out);
        var maxAbs = doc.RootElement.GetProperty("outputs")[0].GetProperty("max_abs").GetDouble();
        Assert.Contains($"max abs {maxAbs.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)}", text.Out);
    }
}
