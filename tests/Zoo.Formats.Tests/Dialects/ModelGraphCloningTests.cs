using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Tests.Dialects;

public class ModelGraphCloningTests
{
    private static ModelGraph Nested()
    {
        var g = ModelConfigCodec.Parse(JsonNode.Parse("""
            {"class_name": "Functional", "config": {"name": "outer", "layers": [
              {"class_name": "InputLayer", "name": "x", "config": {"name": "x", "batch_input_shape": [null, 2], "dtype": "float32"}, "inbound_nodes": []},
              {"class_name": "Sequential", "name": "inner", "config": {"name": "inner", "layers": [{"class_name": "Dense", "config": {"name": "d", "units": 1}}]},
               "inbound_nodes": [[["x", 0, 0, {"training": false}]]]}],
              "input_layers": [["x", 0, 0]], "output_layers": [["inner", 0, 0]]}}
            """)!);
        g.GetLayer("inner").Nested!.Layers[0].Weights.Add(WeightTensor.FromFloat32("d/kernel:0", [2, 1], [1f, 2f]));
        g.TrainingConfig = new JsonObject { ["loss"] = "mse" };
        return g;
    }

    [Fact]
    public void A_deep_clone_shares_no_mutable_object_with_its_source_but_shares_weights()
    {
        var g = Nested();
        var c = g.DeepClone();
        c.GetLayer("inner").Nested!.Layers[0].Config["units"] = 9;
        c.GetLayer("inner").InboundNodes[0].Kwargs["training"] = true;
        c.TrainingConfig!["loss"] = "mae";
        c.Layers.RemoveAt(0);
        Assert.Equal(1, g.GetLayer("inner").Nested!.Layers[0].Config["units"]!.GetValue<int>());
        Assert.False(g.GetLayer("inner").InboundNodes[0].Kwargs["training"]!.GetValue<bool>());
        Assert.Equal("mse", g.TrainingConfig!["loss"]!.GetValue<string>());
        Assert.Equal(2, g.Layers.Count);
        Assert.Same(g.GetLayer("inner").Nested!.Layers[0].Weights[0], c.GetLayer("inner").Nested!.Layers[0].Weights[0]);
    }

    [Fact]
    public void A_deep_clone_keeps_a_nested_models_layer_config_and_graph_config_as_one_object()
    {
        var g = Nested();
        var inner = g.GetLayer("inner");
        Assert.Same(inner.Config, inner.Nested!.ConfigExtras); // the codec's sharing this test relies on
        var c = g.DeepClone().GetLayer("inner");
        Assert.Same(c.Config, c.Nested!.ConfigExtras);
        Assert.Same(c.Extras, c.Nested.Extras);
        Assert.NotSame(inner.Config, c.Config);
    }

    [Fact]
    public void A_deep_clone_writes_the_same_config_as_its_source()
    {
        var g = Nested();
        Assert.Equal(ModelConfigCodec.Write(g).ToJsonString(), ModelConfigCodec.Write(g.DeepClone()).ToJsonString());
    }
}
