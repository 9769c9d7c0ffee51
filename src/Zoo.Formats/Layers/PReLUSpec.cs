namespace Zoo.Formats.Layers;

/// <summary>
/// <c>PReLU</c>: max(x,0) + α·min(x,0) with a learned α of the input's shape (batch excluded), size 1 on
/// <see cref="SharedAxes"/> (1-based, as Keras writes them).
/// </summary>
public sealed record PReLUSpec(string Name, string ClassName, int[] SharedAxes) : LayerSpec(Name, ClassName)
{
    /// <summary>Reads the spec.</summary>
    public static PReLUSpec Read(LayerConfig c) => new(c.Name, c.Node.ClassName, c.IntList("shared_axes") ?? Array.Empty<int>());

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        var shape = ShapeMath.Single(inputShapes, Name).Skip(1).ToArray();
        foreach (var a in SharedAxes) shape[a - 1] = 1;
        return new[] { new WeightSpec("alpha", shape, Aliases: new[] { "alphas" }) };
    }
}
