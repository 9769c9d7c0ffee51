using System.Text.Json;
using System.Text.Json.Nodes;

namespace Zoo.Formats.Summary;

/// <summary>
/// Reads a layer config whatever dialect wrote it: Keras 1 and Keras 2/3 spell the same
/// setting differently (<c>output_dim</c>/<c>units</c>, <c>border_mode</c>/<c>padding</c>), and
/// a value may be a number, a string holding one, or a list. Every getter tries names in order.
/// </summary>
internal readonly struct ConfigView
{
    private readonly JsonObject config;

    public ConfigView(JsonObject config) => this.config = config;

    public JsonNode? Node(params string[] keys)
    {
        foreach (var k in keys)
            if (config.TryGetPropertyValue(k, out var n) && n is not null) return n;
        return null;
    }

    public bool Has(string key) => config.TryGetPropertyValue(key, out var n) && n is not null;

    /// <summary>True when the key is present with a JSON null (Keras writes None that way).</summary>
    public bool IsNull(string key) => config.TryGetPropertyValue(key, out var n) && n is null;

    public long? Long(params string[] keys) => AsLong(Node(keys));

    public string? Str(params string[] keys)
        => Node(keys) is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public bool Bool(bool fallback, params string[] keys)
        => Node(keys) is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : fallback;

    /// <summary>An int-or-tuple setting (<c>kernel_size</c>, <c>strides</c>) as exactly <paramref name="rank"/> values.</summary>
    public long[]? Tuple(int rank, params string[] keys)
    {
        var n = Node(keys);
        if (AsLong(n) is long single) return Enumerable.Repeat(single, rank).ToArray();
        if (n is JsonArray a && a.Count == rank)
        {
            var r = new long[rank];
            for (int i = 0; i < rank; i++) r[i] = AsLong(a[i]) ?? throw new FormatException($"'{keys[0]}' holds a non-number");
            return r;
        }
        return null;
    }

    /// <summary>Keras 1 spells each spatial size as its own key (<c>nb_row</c>, <c>nb_col</c>).</summary>
    public long[]? Separate(params string[] keys)
    {
        var r = new long[keys.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            if (Long(keys[i]) is not long v) return null;
            r[i] = v;
        }
        return r;
    }

    /// <summary>True for <c>data_format: channels_first</c> (Keras 2/3) or <c>dim_ordering: th</c> (Keras 1).</summary>
    public bool ChannelsFirst => Str("data_format") == "channels_first" || Str("dim_ordering") == "th";

    /// <summary>A shape list such as <c>batch_input_shape</c>: numbers, nulls for unknown.</summary>
    public static TensorShape? ShapeOf(JsonNode? node)
    {
        if (node is not JsonArray a) return null;
        var dims = new List<long?>();
        foreach (var d in a)
        {
            if (d is null) dims.Add(null);
            else if (AsLong(d) is long v) dims.Add(v < 0 ? null : v);
            else return null;
        }
        return new TensorShape(dims);
    }

    public static long? AsLong(JsonNode? n)
    {
        if (n is not JsonValue v) return null;
        switch (v.GetValueKind())
        {
            case JsonValueKind.Number:
                if (v.TryGetValue(out long l)) return l;
                if (v.TryGetValue(out int i)) return i;
                if (v.TryGetValue(out double d) && d == Math.Floor(d)) return (long)d;
                return null;
            case JsonValueKind.String:
                return long.TryParse(v.GetValue<string>(), System.Globalization.NumberStyles.Integer,
                    System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : null;
            default:
                return null;
        }
    }
}
