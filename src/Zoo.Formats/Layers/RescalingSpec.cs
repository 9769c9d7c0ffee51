namespace Zoo.Formats.Layers;

/// <summary><c>Rescaling</c>: y = x·scale + offset (scalars; per-channel lists are broadcast on the last axis).</summary>
public sealed record RescalingSpec(string Name, string ClassName, double[] Scale, double[] Offset) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static RescalingSpec Read(LayerConfig c) => new(c.Name, c.Node.ClassName, Numbers(c, "scale", 1.0), Numbers(c, "offset", 0.0));

    private static double[] Numbers(LayerConfig c, string key, double fallback)
    {
        var v = c.Find(key);
        if (v is System.Text.Json.Nodes.JsonArray a) return a.Select(e => e is System.Text.Json.Nodes.JsonValue jv && jv.TryGetValue(out double d) ? d : throw c.Bad(key, "numbers", v)).ToArray();
        return new[] { c.Double(fallback, key) };
    }
}
