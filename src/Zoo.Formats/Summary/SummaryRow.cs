namespace Zoo.Formats.Summary;

/// <summary>One line of a model summary: a layer, what it outputs, how many parameters it holds and what feeds it.</summary>
public sealed class SummaryRow
{
    /// <summary>Layer name.</summary>
    public required string Name { get; init; }

    /// <summary>Keras class name as written.</summary>
    public required string ClassName { get; init; }

    /// <summary>Output shapes of the layer's first call; null when they could not be inferred.</summary>
    public IReadOnlyList<TensorShape>? OutputShapes { get; init; }

    /// <summary>
    /// The output shape the way Keras prints it: <c>(None, 26, 26, 32)</c>, a list for several outputs,
    /// <c>multiple</c> for a layer called several times with different shapes, <c>?</c> when unknown.
    /// </summary>
    public required string OutputShapeText { get; init; }

    /// <summary>Parameters held by the layer (nested models: all of theirs); null when unknown.</summary>
    public long? Params => Counts?.Total;

    /// <summary>Trainable/non-trainable split; null when unknown.</summary>
    public ParamCount? Counts { get; init; }

    /// <summary>The layer's <c>trainable</c> flag.</summary>
    public bool Trainable { get; init; } = true;

    /// <summary>Inbound tensors of every call, as <c>layer[node][tensor]</c>; empty for inputs and in Sequential models.</summary>
    public IReadOnlyList<string> ConnectedTo { get; init; } = [];
}
