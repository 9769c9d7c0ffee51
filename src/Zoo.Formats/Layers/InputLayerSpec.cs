namespace Zoo.Formats.Layers;

/// <summary>
/// <c>InputLayer</c>: the declared input shape. <see cref="BatchShape"/> is the full shape with the batch
/// first (null entries unknown), from <c>batch_input_shape</c> (Keras 1/2) or <c>batch_shape</c> (Keras 3).
/// </summary>
public sealed record InputLayerSpec(string Name, string ClassName, long?[]? BatchShape, string DType) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec from a layer node.</summary>
    public static InputLayerSpec Read(LayerConfig c)
        => new(c.Name, c.Node.ClassName, BatchShapeOf(c), DTypeOf(c));

    /// <summary>The batch shape any layer declares (<c>batch_input_shape</c>, <c>batch_shape</c>, or <c>input_shape</c>/<c>input_dim</c>); null when none.</summary>
    public static long?[]? BatchShapeOf(LayerConfig c)
    {
        if (c.Find("batch_shape", "batch_input_shape") is System.Text.Json.Nodes.JsonArray a)
            return a.Select(e => e is null ? (long?)null : (long)e.GetValue<double>()).ToArray();
        if (c.Find("input_shape") is System.Text.Json.Nodes.JsonArray s)
            return new long?[] { null }.Concat(s.Select(e => e is null ? (long?)null : (long)e.GetValue<double>())).ToArray();
        if (c.Has("input_dim") && c.Node.ClassName is "Dense" or "Embedding")
        {
            // Keras 1/2 Dense(input_dim=n) means (None, n); Embedding's input_dim is its vocabulary, not a shape.
            if (c.Node.ClassName == "Dense") return new long?[] { null, c.Int(null, "input_dim") };
            if (c.Has("input_length")) return new long?[] { null, c.Find("input_length") is null ? null : c.Int(null, "input_length") };
        }
        return null;
    }

    /// <summary>The declared dtype name; float32 when absent or a Keras 3 policy object.</summary>
    private static string DTypeOf(LayerConfig c)
    {
        var v = c.Find("dtype");
        if (v is System.Text.Json.Nodes.JsonValue jv && jv.TryGetValue(out string? s)) return s;
        if (v is System.Text.Json.Nodes.JsonObject o && o["config"]?["name"] is System.Text.Json.Nodes.JsonValue n && n.TryGetValue(out string? p)) return p;
        return "float32";
    }
}
