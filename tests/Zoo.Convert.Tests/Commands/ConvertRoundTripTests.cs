using System.Text.Json;
using Zoo.Convert.Tests.Support;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

/// <summary><c>convert</c> between formats and back: what comes out still holds the same model.</summary>
public class ConvertRoundTripTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("zoo-cli-convert-");

    public void Dispose() => dir.Delete(recursive: true);

    public static IEnumerable<object[]> Sources() =>
    [
        ["affan-handwrittendigits/model.h5"],
        ["dl4j-test-resources/cnn_batch_norm.h5"],
        ["aakash-churn/model.h5"],
        ["dl4j-test-resources/simple_lstm_tf_keras_2_model.h5"],
    ];

    private string Out(string name) => Path.Combine(dir.FullName, name);

    private static void Convert(params string[] args)
    {
        var r = CliRunner.Run(["convert", .. args]);
        Assert.True(r.Code == 0, $"convert {string.Join(' ', args)}: exit {r.Code}: {r.Err}");
        Assert.StartsWith("wrote ", r.Out);
    }

    [SkippableTheory]
    [MemberData(nameof(Sources))]
    public void H5_to_keras_and_back_keeps_every_stored_parameter(string localPath)
    {
        var source = Fixtures.Path(localPath);
        CliRunner.RequireLoad(source);
        CliRunner.RequireSave(KerasFormat.KerasArchive);
        CliRunner.RequireSave(KerasFormat.H5Full);
        var expected = H5pyCounts.Of(source);
        Convert(source, Out("m.keras"));
        Convert(Out("m.keras"), Out("back.h5"));
        Assert.Equal(expected.Total, H5pyCounts.Of(Out("m.keras")).Total);
        Assert.Equal(expected, H5pyCounts.Of(Out("back.h5")));
        var totals = InspectFixtureTests.InspectJson(Out("back.h5")).GetProperty("totals");
        Assert.Equal(expected.Total, totals.GetProperty("total").GetInt64());
    }

    [SkippableTheory]
    [MemberData(nameof(Sources))]
    public void H5_to_json_and_yaml_keeps_an_architecture_whose_config_counts_match_the_weights(string localPath)
    {
        var source = Fixtures.Path(localPath);
        CliRunner.RequireLoad(source);
        CliRunner.RequireSave(KerasFormat.H5Full);
        var expected = H5pyCounts.Of(source);
        foreach (var (name, format) in new[] { ("arch.json", "json"), ("arch.yaml", "yaml"), ("arch.txt", "yaml") })
        {
            var args = name.EndsWith(".txt") ? new[] { source, Out(name), "--to", format } : new[] { source, Out(name) };
            Convert(args);
            var o = InspectFixtureTests.InspectJson(Out(name));
            Assert.Equal(format, o.GetProperty("format").GetString());
            Assert.Equal(expected.Total, o.GetProperty("totals").GetProperty("total").GetInt64());
        }
        // ...and the architecture pairs with the original weights again.
        Convert(Out("arch.json"), Out("rebuilt.h5"), "--weights", source);
        Assert.Equal(expected, H5pyCounts.Of(Out("rebuilt.h5")));
    }

    [SkippableFact]
    public void No_optimizer_drops_the_optimizer_state_and_training_config()
    {
        var source = Fixtures.Path("affan-handwrittendigits/model.h5");
        CliRunner.RequireLoad(source);
        CliRunner.RequireSave(KerasFormat.H5Full);
        Convert(source, Out("slim.h5"), "--no-optimizer");
        var o = InspectFixtureTests.InspectJson(Out("slim.h5"));
        Assert.Equal(0, o.GetProperty("optimizer").GetProperty("weights").GetInt32());
        Assert.False(o.GetProperty("training_config").GetBoolean());
    }

    [SkippableFact]
    public void Dialect_keras3_writes_a_keras3_config_into_legacy_h5()
    {
        var source = Fixtures.Path("aakash-churn/model.h5");
        CliRunner.RequireLoad(source);
        CliRunner.RequireSave(KerasFormat.H5Full);
        Convert(source, Out("k3.h5"), "--dialect", "keras3");
        Assert.Equal("keras3", InspectFixtureTests.InspectJson(Out("k3.h5")).GetProperty("dialect").GetString());
    }

    [SkippableFact]
    public void Overwrite_input_allows_rewriting_a_file_in_place()
    {
        var source = Fixtures.Path("aakash-churn/model.h5");
        CliRunner.RequireLoad(source);
        CliRunner.RequireSave(KerasFormat.H5Full);
        File.Copy(source, Out("same.h5"));
        Convert(Out("same.h5"), Out("same.h5"), "--overwrite-input");
        Assert.Equal(H5pyCounts.Of(source), H5pyCounts.Of(Out("same.h5")));
    }
}
