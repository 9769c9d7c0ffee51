using Zoo.Formats.Config;
using Zoo.Formats.Dialects;
using Zoo.Formats.Ir;
using Zoo.Formats.Summary;

namespace Zoo.Formats.Tests.Config;

/// <summary>A model used as a layer numbers its saved calls from 1 in Keras 2 (node 0 is its own, never saved).</summary>
public class NestedNodeIndexTests
{
    // tf.keras 2 layout: an encoder Sequential (built on an input) shared by two inputs, so the outer
    // model refers to its calls as encoder[1] and encoder[2].
    private const string Siamese = """
    {"class_name": "Functional", "config": {"name": "siamese", "layers": [
      {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "dtype": "float32", "name": "a"}, "name": "a", "inbound_nodes": []},
      {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "dtype": "float32", "name": "b"}, "name": "b", "inbound_nodes": []},
      {"class_name": "Sequential", "config": {"name": "encoder", "layers": [
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "dtype": "float32", "name": "enc_in"}},
          {"class_name": "Dense", "config": {"name": "enc", "units": 3, "activation": "tanh", "use_bias": true}}]},
       "name": "encoder", "inbound_nodes": [[["a", 0, 0, {}]], [["b", 0, 0, {}]]]},
      {"class_name": "Concatenate", "config": {"name": "concat", "axis": -1}, "name": "concat",
       "inbound_nodes": [[["encoder", 1, 0, {}], ["encoder", 2, 0, {}]]]}],
     "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["concat", 0, 0]]}}
    """;

    [Fact]
    public void Keras2_refs_to_a_built_nested_model_start_at_node_1_and_shapes_resolve()
    {
        var g = ModelConfigCodec.Parse(KerasJson.Parse(Siamese), null, "2.15.0");
        var encoder = g.GetLayer("encoder");
        Assert.Equal(1, KerasNodeIndex.FirstSavedNode(encoder, KerasDialectKind.Keras2));
        var summary = ModelSummary.Of(g);
        Assert.Equal("(None, 6)", summary.Rows.Single(r => r.Name == "concat").OutputShapeText);
    }

    [Fact]
    public void Translating_to_keras3_renumbers_nested_sequential_calls_from_0_and_back()
    {
        var g = ModelConfigCodec.Parse(KerasJson.Parse(Siamese), null, "2.15.0");
        var k3 = DialectTranslator.Translate(g, KerasDialectKind.Keras3);
        Assert.Equal([0, 1], k3.GetLayer("concat").InboundNodes[0].Inputs.Select(t => t.NodeIndex));
        var k2 = DialectTranslator.Translate(k3, KerasDialectKind.Keras2);
        Assert.Equal([1, 2], k2.GetLayer("concat").InboundNodes[0].Inputs.Select(t => t.NodeIndex));
        Assert.Equal("(None, 6)", ModelSummary.Of(k3).Rows.Single(r => r.Name == "concat").OutputShapeText);
    }
}
