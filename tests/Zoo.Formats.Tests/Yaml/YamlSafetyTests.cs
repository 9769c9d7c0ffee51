using System.Text;
using System.Text.Json.Nodes;
using Zoo.Formats.Yaml;

namespace Zoo.Formats.Tests.Yaml;

public class YamlSafetyTests
{
    [Fact]
    public void Python_tuple_tags_and_anchors_are_accepted()
    {
        var yaml = "a: &id001 !!python/tuple\n- null\n- 28\nb: *id001\nc: 1.0e-05\nd: 'yes'\ne: yes\n";
        var node = KerasYaml.Parse(yaml);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"a\":[null,28],\"b\":[null,28],\"c\":1.0e-05,\"d\":\"yes\",\"e\":true}"), node));
    }

    [Theory]
    [InlineData("a: !!python/object/apply:os.system ['echo hi']\n")]
    [InlineData("a: !!python/object:__main__.X {}\n")]
    [InlineData("a: !!python/name:os.system\n")]
    [InlineData("a: !mytag 3\n")]
    public void Every_other_python_or_application_tag_is_refused(string yaml)
    {
        var e = Assert.Throws<UnsafeModelException>(() => KerasYaml.Parse(yaml, "m.yaml"));
        Assert.Contains("m.yaml", e.Message);
    }

    [Fact]
    public void An_alias_bomb_is_refused_instead_of_exhausting_memory()
    {
        var sb = new StringBuilder("l0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 9; i++)
            sb.Append($"l{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        Assert.Throws<UnsafeModelException>(() => KerasYaml.Parse(sb.ToString()));
    }

    [Fact]
    public void Syntax_errors_are_typed_and_name_the_file()
    {
        var e = Assert.Throws<ModelFormatException>(() => KerasYaml.Parse("a: [1, 2\nb: {", "bad.yaml"));
        Assert.Contains("bad.yaml", e.Message);
    }

    [Fact]
    public void Written_yaml_reads_back_floats_as_floats_and_strings_as_strings()
    {
        var json = JsonNode.Parse("{\"eps\": 1e-07, \"name\": \"true\", \"n\": \"007\", \"u\": \"caf\u00e9\", \"x\": [], \"o\": {}, \"nested\": [[1, 2], {\"k\": null}]}")!;
        var back = KerasYaml.Parse(KerasYamlWriter.Serialize(json));
        Assert.Equal("true", back["name"]!.GetValue<string>());
        Assert.Equal("007", back["n"]!.GetValue<string>());
        Assert.Equal("caf\u00e9", back["u"]!.GetValue<string>());
        Assert.Equal(1e-07, back["eps"]!.GetValue<double>());
        Assert.True(JsonNode.DeepEquals(json["nested"], back["nested"]));
    }
}
