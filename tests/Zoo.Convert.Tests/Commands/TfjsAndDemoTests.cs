using System.Text.Json;
using Zoo.Convert.Tests.Support;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

[Collection(Zoo.Convert.Tests.Support.TorchThreadsCollection.Name)]
public class TfjsAndDemoTests
{
    [SkippableFact]
    public void Inspect_reads_a_tfjs_layers_model_with_its_shards()
    {
        var path = Fixtures.Path("affan-handwrittendigits/tfjs_model/model.json");
        var r = CliRunner.Run("inspect", path, "--json");
        Assert.True(r.Code == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal("tfjs", doc.RootElement.GetProperty("format").GetString());
        Assert.Equal(54440 / 4, doc.RootElement.GetProperty("totals").GetProperty("total").GetInt64());
    }

    [SkippableFact]
    public void A_tfjs_model_converts_to_a_keras_h5_file()
    {
        var path = Fixtures.Path("affan-handwrittendigits/tfjs_model/model.json");
        using var dir = new TempDir();
        var r = CliRunner.Run("convert", path, dir.File("m.h5"));
        Assert.True(r.Code == 0, r.Err);
        var back = Zoo.Formats.KerasFile.Load(dir.File("m.h5"));
        Assert.Equal(54440 / 4, back.ParameterCount());
    }

    [Fact]
    public void Demo_writes_every_format_and_reports_lossless()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("demo", "--formats-only", "--out", dir.Path);
        Assert.True(r.Code == 0, r.Out + r.Err);
        Assert.Contains("Result: lossless", r.Out);
        foreach (var f in new[] { "lenet5.h5", "lenet5_weights.h5", "lenet5.json", "lenet5.yaml", "lenet5.keras", "lenet5.weights.h5", "lenet5_from_keras3.h5" })
            Assert.True(File.Exists(Path.Combine(dir.Path, f)), f);
        Assert.DoesNotContain("differ", r.Out.Split("Result:")[0], StringComparison.OrdinalIgnoreCase);
    }
}
