using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Summary.Rules;

/// <summary>Bidirectional and TimeDistributed: shapes and weights come from the wrapped layer's own rule.</summary>
internal static class WrapperRules
{
    public static readonly LayerRule Bidirectional = new((l, c, x) =>
    {
        if (Inner(c) is not { } inner || LayerRules.Shapes(inner, x) is not { Count: > 0 } outs) return null;
        var y = outs[0];
        // merge_mode null keeps the two directions as two outputs.
        if (c.IsNull("merge_mode")) return [y, y];
        return c.Str("merge_mode") switch
        {
            "sum" or "mul" or "ave" => [y],
            _ => [y.With(-1, Spatial.Mul(y[-1], 2))],
        };
    }, (l, c, x) => Inner(c) is { } inner && LayerRules.Params(inner, x) is { } p ? p.Twice() : null);

    public static readonly LayerRule TimeDistributed = new((l, c, x) =>
    {
        if (Inner(c) is not { } inner || x[0].Rank < 3) return null;
        var step = new TensorShape(x[0].Dims.Skip(1));
        if (LayerRules.Shapes(inner, [step]) is not { Count: > 0 } outs) return null;
        return outs.Select(o => new TensorShape([x[0][0], x[0][1], .. o.Dims.Skip(1)])).ToList();
    }, (l, c, x) => Inner(c) is { } inner && x[0].Rank >= 3 ? LayerRules.Params(inner, [new TensorShape(x[0].Dims.Skip(1))]) : null);

    /// <summary>A wrapper whose output shape and weights are its wrapped layer's (Zoo's CosineNormalization).</summary>
    public static readonly LayerRule SameAsInner = new(
        (l, c, x) => Inner(c) is { } inner ? LayerRules.Shapes(inner, x) : null,
        (l, c, x) => Inner(c) is { } inner ? LayerRules.Params(inner, x) : null);

    /// <summary>The wrapped layer (<c>config.layer</c>) as a node of its own.</summary>
    private static LayerNode? Inner(ConfigView c)
    {
        if (c.Node("layer") is not JsonObject o || o["class_name"] is not JsonValue cls || o["config"] is not JsonObject cfg) return null;
        string name = cfg["name"] is JsonValue n && n.TryGetValue(out string? s) && s is not null ? s : "inner";
        return new LayerNode(cls.GetValue<string>(), name, cfg);
    }
}
