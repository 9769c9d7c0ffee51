namespace Zoo.Formats.Layers;

/// <summary>Element-wise or joining operation of a merge layer.</summary>
public enum MergeOp
{
    /// <summary><c>Add</c> / Keras 1 <c>Merge(mode='sum')</c>.</summary>
    Add,
    /// <summary><c>Subtract</c>: first − second.</summary>
    Subtract,
    /// <summary><c>Multiply</c> / <c>mode='mul'</c>.</summary>
    Multiply,
    /// <summary><c>Average</c> / <c>mode='ave'</c>.</summary>
    Average,
    /// <summary><c>Maximum</c> / <c>mode='max'</c>.</summary>
    Maximum,
    /// <summary><c>Minimum</c>.</summary>
    Minimum,
    /// <summary><c>Concatenate</c> on <see cref="MergeSpec.Axis"/> / <c>mode='concat'</c>.</summary>
    Concatenate,
}

/// <summary>
/// Merge layers (<c>Add</c>, <c>Subtract</c>, <c>Multiply</c>, <c>Average</c>, <c>Maximum</c>, <c>Minimum</c>,
/// <c>Concatenate</c>) and Keras 1's <c>Merge</c> with its <c>mode</c> and <c>concat_axis</c>.
/// </summary>
public sealed record MergeSpec(string Name, string ClassName, MergeOp Op, int Axis) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads a merge layer whose operation its class name gives.</summary>
    public static MergeSpec Read(LayerConfig c, MergeOp op) => new(c.Name, c.Node.ClassName, op, c.Int(-1, "axis"));

    /// <summary>Reads Keras 1's <c>Merge</c> layer.</summary>
    public static MergeSpec ReadKeras1Merge(LayerConfig c)
    {
        var mode = c.String("sum", "mode");
        MergeOp op = mode switch
        {
            "sum" => MergeOp.Add,
            "mul" => MergeOp.Multiply,
            "ave" => MergeOp.Average,
            "max" => MergeOp.Maximum,
            "concat" => MergeOp.Concatenate,
            _ => throw new UnsupportedFeatureException($"layer '{c.Name}' (Merge): mode '{mode}' is not supported (sum, mul, ave, max, concat)", null, $"layers/{c.Name}"),
        };
        return new(c.Name, c.Node.ClassName, op, c.Int(-1, "concat_axis"));
    }
}
