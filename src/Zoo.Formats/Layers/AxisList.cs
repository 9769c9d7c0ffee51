using System.Text.Json.Nodes;

namespace Zoo.Formats.Layers;

/// <summary>Reads an <c>axis</c> given as one int or a list of ints.</summary>
public static class AxisList
{
    /// <summary>The axes; <paramref name="fallback"/> when absent.</summary>
    public static int[] Read(LayerConfig c, int fallback, string key = "axis")
    {
        var v = c.Find(key);
        if (v is null) return new[] { fallback };
        if (v is JsonArray) return c.IntList(key)!;
        return new[] { c.Int(null, key) };
    }

    /// <summary>Makes <paramref name="axis"/> non-negative for a tensor of rank <paramref name="rank"/>.</summary>
    public static int Normalize(int axis, int rank) => axis < 0 ? axis + rank : axis;
}
