using Zoo.Formats.Ir;

namespace Zoo.Models.ModelZoo.Builder;

/// <summary>
/// A tensor of a model being built, as Keras's <c>KerasTensor</c>: which layer call produced it and its
/// shape without the batch dimension (channels last). Shapes are always known: the builder needs them to
/// size every weight.
/// </summary>
public sealed class SymbolicTensor
{
    internal SymbolicTensor(LayerBuilder owner, TensorRef source, int[] shape)
    {
        Owner = owner;
        Source = source;
        Shape = shape;
    }

    /// <summary>The producing layer, its node index and output index.</summary>
    public TensorRef Source { get; }

    /// <summary>Dimensions after the batch dimension.</summary>
    public int[] Shape { get; }

    /// <summary>The last dimension: channels for images, features for vectors.</summary>
    public int Channels => Shape[^1];

    internal LayerBuilder Owner { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Source} (None, {string.Join(", ", Shape)})";
}

/// <summary>A layer ready to be called on tensors, as a Keras layer object is: each call adds a node to it.</summary>
/// <param name="inputs">One tensor, or several for merge layers.</param>
public delegate SymbolicTensor LayerCall(params SymbolicTensor[] inputs);
