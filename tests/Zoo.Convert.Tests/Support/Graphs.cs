using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Convert.Tests.Support;

/// <summary>Hand-built graphs for summary tests: layers from a class name and a config written as JSON.</summary>
internal static class Graphs
{
    public static LayerNode Layer(string className, string name, string configJson = "{}")
    {
        var config = JsonNode.Parse(configJson)!.AsObject();
        config["name"] = name;
        return new LayerNode(className, name, config);
    }

    /// <summary>A Sequential model whose first layer declares <paramref name="batchInputShape"/> (JSON list, null = None).</summary>
    public static ModelGraph Sequential(string batchInputShape, params LayerNode[] layers)
    {
        var g = new ModelGraph { ClassName = "Sequential", Name = "sequential" };
        g.Layers.Add(Layer("InputLayer", "input", $$"""{"batch_input_shape": {{batchInputShape}}}"""));
        g.Layers.AddRange(layers);
        return g;
    }

    /// <summary>Adds a call of <paramref name="layer"/> on the given tensors and returns the layer.</summary>
    public static LayerNode Call(this LayerNode layer, params TensorRef[] inputs)
    {
        layer.InboundNodes.Add(new NodeCall(inputs));
        return layer;
    }

    public static TensorRef T(string layer, int node = 0, int tensor = 0) => new(layer, node, tensor);

    public static ModelGraph Functional(IEnumerable<TensorRef> inputs, IEnumerable<TensorRef> outputs, params LayerNode[] layers)
    {
        var g = new ModelGraph { ClassName = "Functional", Name = "model" };
        g.Layers.AddRange(layers);
        g.Inputs.AddRange(inputs);
        g.Outputs.AddRange(outputs);
        return g;
    }

    public static WeightTensor Zeros(string name, params long[] shape)
        => new(name, shape, DType.Float32, new byte[WeightTensor.ElementCount(shape) * 4]);
}
