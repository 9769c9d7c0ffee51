using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Layers;

/// <summary>Reads the inner layer of a wrapper (<c>Bidirectional</c>, <c>TimeDistributed</c>) from its <c>layer</c> entry.</summary>
internal static class WrappedLayer
{
    /// <summary>The spec of the layer serialized under <paramref name="key"/>.</summary>
    public static LayerSpec Read(LayerConfig c, string key = "layer")
    {
        if (c.Find(key) is not JsonObject entry || entry["class_name"] is not JsonValue cls || !cls.TryGetValue(out string? className))
            throw c.Bad(key, "a serialized layer {class_name, config}", c.Find(key));
        var config = entry["config"] as JsonObject ?? new JsonObject();
        var name = config["name"] is JsonValue n && n.TryGetValue(out string? s) ? s : c.Name + "_" + key;
        var inner = new LayerNode(className, name, config);
        return LayerSpecs.Read(inner, c.Dialect);
    }
}
