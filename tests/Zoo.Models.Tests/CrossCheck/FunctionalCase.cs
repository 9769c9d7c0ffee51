using System.Text.Json.Nodes;

namespace Zoo.Models.Tests.CrossCheck;

/// <summary>
/// Builds a Keras 2 functional model config (<c>Functional</c>, list-form <c>inbound_nodes</c>) call by
/// call. A tensor is named <c>layer</c> (node 0) or <c>layer@k</c> (the layer's call k).
/// </summary>
internal sealed class FunctionalCase(string name)
{
    private readonly JsonArray layers = new();
    private readonly Dictionary<string, JsonObject> byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Wt[]> weights = new(StringComparer.Ordinal);
    private readonly List<CaseInput> inputs = new();
    private readonly JsonArray inputLayers = new();
    private readonly JsonArray outputLayers = new();

    /// <summary>An InputLayer of <paramref name="shape"/> (batch excluded; batch 2 is fed).</summary>
    public FunctionalCase Input(string layer, params long[] shape) => InputOf(layer, null, shape);

    /// <summary>An InputLayer fed integers below <paramref name="intBelow"/>.</summary>
    public FunctionalCase InputOf(string layer, int? intBelow, params long[] shape)
    {
        var cfg = new JsonObject
        {
            ["batch_input_shape"] = new JsonArray(new JsonNode?[] { null }.Concat(shape.Select(d => (JsonNode?)d)).ToArray()),
            ["dtype"] = "float32", ["sparse"] = false, ["ragged"] = false, ["name"] = layer,
        };
        Add(new JsonObject { ["class_name"] = "InputLayer", ["config"] = cfg }, layer, Array.Empty<string>());
        inputLayers.Add(new JsonArray(layer, 0, 0));
        inputs.Add(new CaseInput(new long[] { 2 }.Concat(shape).ToArray(), intBelow));
        return this;
    }

    /// <summary>A new layer called once on <paramref name="inbound"/>.</summary>
    public FunctionalCase Call(string cls, string layer, string config, Wt[] layerWeights, params string[] inbound)
    {
        Add(LayerCase.LayerObject(cls, layer, config), layer, inbound);
        if (layerWeights.Length > 0) weights[layer] = layerWeights;
        return this;
    }

    /// <summary>Calls an existing layer again (its next node index) on <paramref name="inbound"/>.</summary>
    public FunctionalCase CallAgain(string layer, params string[] inbound)
    {
        ((JsonArray)byName[layer]["inbound_nodes"]!).Add(Node(inbound));
        return this;
    }

    /// <summary>
    /// A whole model (<paramref name="inner"/>'s config, renamed <paramref name="layer"/>) used as a layer.
    /// Refer to its outputs as <c>layer@1</c>, <c>layer@2</c>…: Keras saves a nested model's calls from node 1.
    /// </summary>
    public FunctionalCase Nested(LayerCase inner, string layer, params string[] inbound)
    {
        var model = (JsonObject)JsonNode.Parse(inner.ModelConfig)!;
        ((JsonObject)model["config"]!)["name"] = layer;
        Add(model, layer, inbound);
        foreach (var (path, w) in inner.Weights) weights[$"{layer}/{path}"] = w;
        return this;
    }

    /// <summary>The model's outputs, in order.</summary>
    public FunctionalCase Outputs(params string[] tensors)
    {
        foreach (var t in tensors) outputLayers.Add(Ref(t));
        return this;
    }

    /// <summary>The finished case.</summary>
    public LayerCase Case(string id, float tolerance = 1e-5f)
    {
        var model = new JsonObject
        {
            ["class_name"] = "Functional",
            ["config"] = new JsonObject
            {
                ["name"] = name, ["layers"] = layers.DeepClone(),
                ["input_layers"] = inputLayers.DeepClone(), ["output_layers"] = outputLayers.DeepClone(),
            },
        };
        return new LayerCase(id, model.ToJsonString(), inputs.ToArray(), new Dictionary<string, Wt[]>(weights), tolerance);
    }

    private void Add(JsonObject layer, string layerName, string[] inbound)
    {
        layer["name"] = layerName;
        layer["inbound_nodes"] = inbound.Length == 0 ? new JsonArray() : new JsonArray(Node(inbound));
        layers.Add(layer);
        byName[layerName] = layer;
    }

    private static JsonArray Node(string[] inbound)
        => new(inbound.Select(t => { var r = Ref(t); r.Add(new JsonObject()); return (JsonNode?)r; }).ToArray());

    private static JsonArray Ref(string tensor)
    {
        var at = tensor.IndexOf('@');
        return at < 0 ? new JsonArray(tensor, 0, 0) : new JsonArray(tensor[..at], int.Parse(tensor[(at + 1)..]), 0);
    }
}
