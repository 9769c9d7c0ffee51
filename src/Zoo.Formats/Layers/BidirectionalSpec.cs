namespace Zoo.Formats.Layers;

/// <summary>How Bidirectional joins the forward and backward outputs.</summary>
public enum BidirectionalMerge
{
    /// <summary>Concatenate on the last axis (default).</summary>
    Concat,
    /// <summary>Element-wise sum.</summary>
    Sum,
    /// <summary>Element-wise product.</summary>
    Mul,
    /// <summary>Element-wise mean.</summary>
    Ave,
    /// <summary>No merge: return both outputs.</summary>
    None,
}

/// <summary>
/// <c>Bidirectional</c>: runs <see cref="Forward"/> on the sequence and <see cref="Backward"/> (a copy of it,
/// or the given <c>backward_layer</c>) on the reversed sequence, and merges. Weights: the forward layer's,
/// then the backward layer's, told apart by their stored path (<c>forward_…</c>, <c>backward_…</c>).
/// </summary>
public sealed record BidirectionalSpec(string Name, string ClassName, LayerSpec Forward, LayerSpec Backward, BidirectionalMerge Merge)
    : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static BidirectionalSpec Read(LayerConfig c)
    {
        var fwd = WrappedLayer.Read(c);
        var bwd = c.Has("backward_layer") ? WrappedLayer.Read(c, "backward_layer") : fwd;
        var merge = c.Find("merge_mode") is null ? (c.Node.Config.ContainsKey("merge_mode") ? BidirectionalMerge.None : BidirectionalMerge.Concat)
            : c.String("concat", "merge_mode") switch
            {
                "concat" => BidirectionalMerge.Concat,
                "sum" => BidirectionalMerge.Sum,
                "mul" => BidirectionalMerge.Mul,
                "ave" => BidirectionalMerge.Ave,
                _ => throw c.Bad("merge_mode", "concat, sum, mul, ave or null", c.Find("merge_mode")),
            };
        return new(c.Name, c.Node.ClassName, fwd, bwd, merge);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
        => Forward.Weights(inputShapes).Select(w => w with { Scope = "forward" })
            .Concat(Backward.Weights(inputShapes).Select(w => w with { Scope = "backward" })).ToList();

    /// <inheritdoc/>
    public override bool IsTrainableWeight(string storedName)
        => storedName.Split('/').Any(s => s.StartsWith("backward", StringComparison.Ordinal)) ? Backward.IsTrainableWeight(storedName) : Forward.IsTrainableWeight(storedName);
}
