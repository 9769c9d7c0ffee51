using System.Text.Json;
using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Layers;

/// <summary>
/// Typed access to a layer's verbatim config, trying each dialect's key in turn (Keras 2/3 name first,
/// then Keras 1's), with errors that name the layer, the key, what was expected and what was found.
/// </summary>
public sealed class LayerConfig
{
    /// <summary>Wraps <paramref name="node"/>'s config; <paramref name="dialect"/> is the graph's dialect.</summary>
    public LayerConfig(LayerNode node, KerasDialectKind dialect = KerasDialectKind.Keras2)
    {
        Node = node;
        Dialect = dialect;
    }

    /// <summary>The layer.</summary>
    public LayerNode Node { get; }

    /// <summary>The dialect the config is written in.</summary>
    public KerasDialectKind Dialect { get; }

    /// <summary>The layer's name.</summary>
    public string Name => Node.Name;

    /// <summary>The first of <paramref name="keys"/> present with a non-null value; null when none is.</summary>
    public JsonNode? Find(params string[] keys)
    {
        foreach (var k in keys)
            if (Node.Config.TryGetPropertyValue(k, out var v) && v is not null) return v;
        return null;
    }

    /// <summary>True when any of <paramref name="keys"/> is present and non-null.</summary>
    public bool Has(params string[] keys) => Find(keys) is not null;

    /// <summary>An error naming this layer and <paramref name="key"/>.</summary>
    public ModelFormatException Bad(string key, string expected, JsonNode? found)
        => new($"layer '{Name}' ({Node.ClassName}): config '{key}': expected {expected}, found {Describe(found)}", null, $"layers/{Name}/config/{key}");

    /// <summary>An integer; <paramref name="fallback"/> when absent (throws when absent and no fallback).</summary>
    public int Int(int? fallback, params string[] keys)
    {
        var v = Find(keys);
        if (v is null) return fallback ?? throw Bad(keys[0], "an integer", null);
        return AsInt(v, keys[0]);
    }

    /// <summary>A float; <paramref name="fallback"/> when absent.</summary>
    public double Double(double? fallback, params string[] keys)
    {
        var v = Find(keys);
        if (v is null) return fallback ?? throw Bad(keys[0], "a number", null);
        if (v is JsonValue jv && jv.TryGetValue(out double d)) return d;
        throw Bad(keys[0], "a number", v);
    }

    /// <summary>A boolean; <paramref name="fallback"/> when absent.</summary>
    public bool Bool(bool fallback, params string[] keys)
    {
        var v = Find(keys);
        if (v is null) return fallback;
        if (v is JsonValue jv && jv.TryGetValue(out bool b)) return b;
        throw Bad(keys[0], "true or false", v);
    }

    /// <summary>A string; <paramref name="fallback"/> when absent.</summary>
    public string? String(string? fallback, params string[] keys)
    {
        var v = Find(keys);
        if (v is null) return fallback;
        if (v is JsonValue jv && jv.TryGetValue(out string? s)) return s;
        throw Bad(keys[0], "a string", v);
    }

    /// <summary>
    /// An int tuple of length <paramref name="rank"/>: a list, or one int repeated (Keras accepts both).
    /// </summary>
    public int[] Ints(int rank, int[]? fallback, params string[] keys)
    {
        var v = Find(keys);
        if (v is null) return fallback ?? throw Bad(keys[0], $"{rank} integers", null);
        if (v is JsonArray a)
        {
            if (a.Count != rank) throw Bad(keys[0], $"{rank} integers", v);
            return a.Select(e => AsInt(e, keys[0])).ToArray();
        }
        return Enumerable.Repeat(AsInt(v, keys[0]), rank).ToArray();
    }

    /// <summary>A list of ints of any length (Reshape's target_shape, Permute's dims); null when absent.</summary>
    public int[]? IntList(params string[] keys)
    {
        var v = Find(keys);
        if (v is null) return null;
        if (v is JsonArray a) return a.Select(e => e is null ? -1 : AsInt(e, keys[0])).ToArray();
        return new[] { AsInt(v, keys[0]) };
    }

    /// <summary>Keras <c>padding</c> / Keras 1 <c>border_mode</c>.</summary>
    public Padding Padding()
    {
        var s = String("valid", "padding", "border_mode");
        return s switch
        {
            "valid" => Layers.Padding.Valid,
            "same" => Layers.Padding.Same,
            "causal" => Layers.Padding.Causal,
            _ => throw new UnsupportedFeatureException(
                $"layer '{Name}' ({Node.ClassName}): padding '{s}' is not supported (expected valid, same or causal)", null, $"layers/{Name}"),
        };
    }

    /// <summary>Keras <c>data_format</c> / Keras 1 <c>dim_ordering</c>; channels_last when absent.</summary>
    public DataFormat DataFormat()
    {
        var s = String(null, "data_format", "dim_ordering");
        return s switch
        {
            null or "channels_last" or "tf" or "default" => Layers.DataFormat.ChannelsLast,
            "channels_first" or "th" => Layers.DataFormat.ChannelsFirst,
            _ => throw Bad("data_format", "channels_last or channels_first", Find("data_format", "dim_ordering")),
        };
    }

    /// <summary>An activation given by name or Keras 3 serialized object; linear when absent.</summary>
    public KerasActivation Activation(params string[] keys)
    {
        var v = Find(keys.Length == 0 ? new[] { "activation" } : keys);
        return KerasActivations.Parse(v, Dialect, this, keys.Length == 0 ? "activation" : keys[0]);
    }

    private int AsInt(JsonNode? v, string key)
    {
        if (v is JsonValue jv)
        {
            if (jv.TryGetValue(out int i)) return i;
            if (jv.TryGetValue(out double d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue) return (int)d;
        }
        throw Bad(key, "an integer", v);
    }

    private static string Describe(JsonNode? v) => v is null ? "nothing" : v.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
