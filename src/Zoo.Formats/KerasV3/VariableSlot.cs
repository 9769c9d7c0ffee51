namespace Zoo.Formats.KerasV3;

/// <summary>
/// One variable Keras 3 keeps for a layer: where it lives below the layer's object path
/// (<c>vars/0</c>, <c>cell/vars/1</c>), its Keras 2 style name below the layer's scope
/// (<c>kernel</c>, <c>lstm_cell/recurrent_kernel</c>) and the shape the config implies
/// (null entries are dimensions the config alone cannot tell, such as the input width).
/// </summary>
internal sealed record VariableSlot(string ObjectPath, string RelativeName, long?[]? Shape)
{
    /// <summary>The Keras 2 weight name for this slot in layer <paramref name="layerName"/>: <c>dense/kernel:0</c>.</summary>
    public string Keras2Name(string layerName) => $"{layerName}/{RelativeName}:0";

    /// <summary>True when <paramref name="shape"/> fits the known dimensions.</summary>
    public bool Accepts(long[] shape)
    {
        if (Shape is null) return true;
        if (Shape.Length != shape.Length) return false;
        for (int i = 0; i < shape.Length; i++)
            if (Shape[i] is long d && d != shape[i]) return false;
        return true;
    }

    /// <summary>The expected shape as text, <c>?</c> for unknown dimensions.</summary>
    public string ShapeText => Shape is null ? "any shape" : "[" + string.Join(",", Shape.Select(d => d?.ToString() ?? "?")) + "]";

    /// <summary>A copy moved below <paramref name="objectPrefix"/> and <paramref name="namePrefix"/>.</summary>
    public VariableSlot Under(string objectPrefix, string namePrefix)
        => this with { ObjectPath = $"{objectPrefix}/{ObjectPath}", RelativeName = $"{namePrefix}/{RelativeName}" };
}
