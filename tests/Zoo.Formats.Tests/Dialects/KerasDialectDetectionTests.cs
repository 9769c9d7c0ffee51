using System.Text.Json.Nodes;
using Zoo.Formats.Dialects;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Dialects.Support;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.Dialects;

public class KerasDialectDetectionTests
{
    /// <summary>The dialect a MANIFEST keras_version means ("2.2.4-tf" → Keras 2; the column is the truth).</summary>
    private static KerasDialectKind Expected(string localPath)
    {
        var version = Fixtures.Manifest().Single(r => r.LocalPath == localPath).KerasVersion;
        return version[0] switch { '1' => KerasDialectKind.Keras1, '2' => KerasDialectKind.Keras2, '3' => KerasDialectKind.Keras3, _ => throw new InvalidOperationException(version) };
    }

    [SkippableTheory]
    [MemberData(nameof(ConfigFixtures.All), MemberType = typeof(ConfigFixtures))]
    public void Detection_agrees_with_the_manifest_version_for_every_fixture_config(string localPath)
    {
        var (config, version) = ConfigFixtures.Load(localPath);
        Assert.Equal(Expected(localPath), KerasDialect.Detect(config, version));
    }

    [SkippableTheory]
    [MemberData(nameof(ConfigFixtures.All), MemberType = typeof(ConfigFixtures))]
    public void Keras1_and_Keras3_fixtures_are_recognised_from_content_even_under_a_contradicting_version(string localPath)
    {
        var (config, _) = ConfigFixtures.Load(localPath);
        var expected = Expected(localPath);
        // tf.keras 2.13+ writes the same envelope as Keras 3, so only Keras 1 and Keras 3 content is decisive.
        Skip.If(expected == KerasDialectKind.Keras2 && config.ToJsonString().Contains("registered_name"), "tf.keras 2.13+ config: its content alone is ambiguous by design");
        var wrong = expected == KerasDialectKind.Keras2 ? "2.0.0" : "2.9.0";
        Assert.Equal(expected, KerasDialect.Detect(config, expected == KerasDialectKind.Keras2 ? null : wrong));
    }

    [Fact]
    public void A_Keras3_functional_call_format_is_enough_to_detect_Keras3()
    {
        var config = JsonNode.Parse("""
            {"class_name": "Functional", "config": {"name": "m", "layers": [
              {"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 2, "dtype": "float32"},
               "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 3], "dtype": "float32", "keras_history": ["in", 0, 0]}}], "kwargs": {}}]}],
              "input_layers": [["in", 0, 0]], "output_layers": [["d", 0, 0]]}}
            """)!;
        Assert.Equal(KerasDialectKind.Keras3, KerasDialect.Detect(config, "2.15.0"));
    }

    [Fact]
    public void A_config_with_no_telling_content_falls_back_to_the_version_then_to_Keras2()
    {
        var config = JsonNode.Parse("""{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Dense", "config": {"name": "d", "units": 1}}]}}""")!;
        Assert.Equal(KerasDialectKind.Keras1, KerasDialect.Detect(config, "1.2.2"));
        Assert.Equal(KerasDialectKind.Keras3, KerasDialect.Detect(config, "3.7.0"));
        Assert.Equal(KerasDialectKind.Keras2, KerasDialect.Detect(config, "2.2.4-tf"));
        Assert.Equal(KerasDialectKind.Keras2, KerasDialect.Detect(config, null));
    }
}
