namespace Zoo.Formats.Ir;

/// <summary>
/// A tensor in a functional graph, named as Keras names it: the layer that produced it, which
/// call of that layer (node index: a shared layer or nested model called twice has nodes 0 and 1)
/// and which of that call's outputs.
/// </summary>
public readonly record struct TensorRef(string Layer, int NodeIndex = 0, int TensorIndex = 0)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Layer}[{NodeIndex}][{TensorIndex}]";
}
