using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Tests.Support;
using Zoo.Formats.Yaml;

namespace Zoo.Formats.Tests.Config;

public class ArchitectureTextRoundTripTests
{
    public static IEnumerable<object[]> JsonFixtures() => Fixtures.OfKinds("json-arch");
    public static IEnumerable<object[]> YamlFixtures() => Fixtures.OfKinds("yaml-arch");

    [SkippableTheory]
    [MemberData(nameof(JsonFixtures))]
    public void Every_real_to_json_file_parses_and_writes_back_an_equal_config(string localPath)
    {
        var path = Fixtures.Path(localPath);
        var original = KerasJson.Parse(File.ReadAllText(path), path);
        var graph = ModelConfigCodec.Parse(original, path);
        Assert.NotEmpty(graph.Layers);
        var written = ModelConfigCodec.Write(graph);
        Assert.True(JsonNode.DeepEquals(original, written), Diff(original, written));
        var reparsed = KerasJson.Parse(KerasJson.Serialize(written));
        Assert.True(JsonNode.DeepEquals(original, reparsed));
    }

    [SkippableTheory]
    [MemberData(nameof(YamlFixtures))]
    public void Every_real_to_yaml_file_parses_and_round_trips_through_our_yaml(string localPath)
    {
        var path = Fixtures.Path(localPath);
        var original = KerasYaml.Parse(File.ReadAllText(path), path);
        var graph = ModelConfigCodec.Parse(original, path);
        Assert.NotEmpty(graph.Layers);
        var written = ModelConfigCodec.Write(graph);
        Assert.True(JsonNode.DeepEquals(original, written), Diff(original, written));
        var yaml = KerasYamlWriter.Serialize(written);
        var reparsed = KerasYaml.Parse(yaml);
        Assert.True(JsonNode.DeepEquals(original, reparsed), Diff(original, reparsed));
    }

    [Fact]
    public void Python_non_finite_literals_survive_a_json_round_trip()
    {
        var text = "{\"a\": NaN, \"b\": [Infinity, -Infinity], \"s\": \"NaN inside a string\"}";
        var node = KerasJson.Parse(text);
        Assert.Equal(text, KerasJson.Serialize(node));
    }

    [Fact]
    public void Number_text_is_kept_verbatim()
    {
        var text = "{\"lr\": 0.0010000000474974513, \"eps\": 1e-07, \"n\": 3}";
        Assert.Equal(text, KerasJson.Serialize(KerasJson.Parse(text)));
    }

    internal static string Diff(JsonNode a, JsonNode b)
    {
        var sa = a.ToJsonString(); var sb = b.ToJsonString();
        int i = 0;
        while (i < Math.Min(sa.Length, sb.Length) && sa[i] == sb[i]) i++;
        return $"configs differ at char {i}:\n  expected …{sa.Substring(Math.Max(0, i - 80), Math.Min(200, sa.Length - Math.Max(0, i - 80)))}\n  actual   …{sb.Substring(Math.Max(0, i - 80), Math.Min(200, sb.Length - Math.Max(0, i - 80)))}";
    }
}
