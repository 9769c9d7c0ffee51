namespace Zoo.Formats.Summary;

/// <summary>One of a model's inputs or outputs: the name callers use, its shape (batch first) and its dtype.</summary>
/// <param name="Name">The input's InputLayer (or a Sequential model's first layer), or the output's layer.</param>
/// <param name="Shape">Batch first, None where open; null when it could not be inferred.</param>
/// <param name="DType">The declared dtype name (<c>float32</c> when the config names none).</param>
public sealed record SummaryTensor(string Name, TensorShape? Shape, string DType)
{
    /// <summary>The shape as Keras prints it, <c>?</c> when unknown.</summary>
    public string ShapeText => Shape?.ToString() ?? "?";
}
