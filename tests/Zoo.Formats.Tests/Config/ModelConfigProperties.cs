using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Zoo.Formats.Config;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;
using Zoo.Formats.Yaml;

namespace Zoo.Formats.Tests.Config;

public class ModelConfigProperties
{
    [Property(MaxTest = 300)]
    public Property Config_write_then_parse_is_the_identity_in_both_inbound_node_forms(int seed, bool keras3)
    {
        var dialect = keras3 ? KerasDialectKind.Keras3 : KerasDialectKind.Keras2;
        var g = RandomGraphs.Functional(seed, dialect);
        var written = ModelConfigCodec.Write(g);
        var back = ModelConfigCodec.Parse(written);
        back.Metadata.Dialect = dialect;
        var again = ModelConfigCodec.Write(back);
        bool sameCalls = g.Layers.Zip(back.Layers).All(p => p.First.Name == p.Second.Name
            && p.First.InboundNodes.Count == p.Second.InboundNodes.Count
            && p.First.InboundNodes.Zip(p.Second.InboundNodes).All(c => c.First.Inputs.SequenceEqual(c.Second.Inputs)));
        return (JsonNode.DeepEquals(written, again) && sameCalls && back.Outputs.SequenceEqual(g.Outputs)).ToProperty();
    }

    [Property(MaxTest = 300)]
    public Property Json_and_yaml_text_round_trip_any_config(int seed)
    {
        var g = RandomGraphs.Functional(seed);
        var obj = ModelConfigCodec.Write(g);
        var viaJson = KerasJson.Parse(KerasJson.Serialize(obj));
        var viaYaml = KerasYaml.Parse(KerasYamlWriter.Serialize(obj));
        return (JsonNode.DeepEquals(obj, viaJson) && JsonNode.DeepEquals(obj, viaYaml)).ToProperty();
    }

    [Property(MaxTest = 500)]
    public Property Any_text_either_parses_or_raises_a_zoo_exception(NonNull<string> text)
    {
        bool Ok(Action a)
        {
            try { a(); return true; }
            catch (ZooException) { return true; }
        }
        return (Ok(() => ModelConfigCodec.Parse(KerasJson.Parse(text.Get)))
                && Ok(() => ModelConfigCodec.Parse(KerasYaml.Parse(text.Get)))).ToProperty();
    }
}
