namespace Zoo.Formats.Layers;

/// <summary>
/// A layer's config, read once from the verbatim <see cref="Ir.LayerNode.Config"/> of any dialect into a
/// typed record. Subclasses add the layer's own fields; <see cref="Weights"/> gives the weights Keras
/// creates for it, in Keras order, given the shapes the layer is called on.
/// </summary>
/// <param name="Name">The layer's name.</param>
/// <param name="ClassName">The Keras class name as written (Keras 1 names included).</param>
public abstract record LayerSpec(string Name, string ClassName)
{
    /// <summary>
    /// The weights Keras creates for this layer, in Keras order (trainable then non-trainable), with Keras
    /// shapes; <paramref name="inputShapes"/> are the full shapes (batch first) of the call's inputs.
    /// </summary>
    public virtual IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes) => Array.Empty<WeightSpec>();

    /// <summary>
    /// Whether Keras creates the weight stored as <paramref name="storedName"/> (a path such as
    /// <c>bn/moving_mean:0</c>, or a weight spec's <c>scope/name</c>) as a trainable variable. Non-trainable ones
    /// (moving statistics, counters) are updated by the layer's own call, never by an optimizer, and Keras lists
    /// them after the trainable ones of a nested model. True unless the layer says otherwise.
    /// </summary>
    public virtual bool IsTrainableWeight(string storedName) => true;

    /// <summary>The short name of a stored weight (no scope, no <c>:0</c>).</summary>
    protected static string ShortName(string storedName) => Ir.WeightTensor.ShortNameOf(storedName);
}

/// <summary>One weight Keras creates for a layer.</summary>
/// <param name="Name">The variable's short name (<c>kernel</c>, <c>moving_mean</c>, Keras 1 <c>W_i</c>).</param>
/// <param name="Shape">Its shape in Keras layout.</param>
/// <param name="Scope">For wrappers: the sub-layer path segment that must appear in the stored name (<c>forward</c>, <c>backward</c>); null otherwise.</param>
/// <param name="Aliases">Other short names the same weight is stored under in some dialect.</param>
public sealed record WeightSpec(string Name, long[] Shape, string? Scope = null, IReadOnlyList<string>? Aliases = null)
{
    /// <summary>The name a layer spec's <see cref="LayerSpec.IsTrainableWeight"/> reads: <c>scope/name</c>, or the name.</summary>
    public string ScopedName => Scope is null ? Name : Scope + "/" + Name;

    /// <summary>The shape as "[a,b,c]".</summary>
    public string ShapeText => "[" + string.Join(",", Shape) + "]";

    /// <summary>True when <paramref name="shortName"/> is this weight's name or one of its aliases.</summary>
    public bool Answers(string shortName)
        => shortName == Name || (Aliases is not null && Aliases.Contains(shortName));
}

/// <summary>Keras <c>padding</c> (<c>border_mode</c> in Keras 1).</summary>
public enum Padding
{
    /// <summary>No padding.</summary>
    Valid,
    /// <summary>TensorFlow "same": output size ceil(in/stride); the odd extra cell goes at the end (bottom/right).</summary>
    Same,
    /// <summary>Conv1D only: pad (kernel−1)·dilation at the start so no output sees the future.</summary>
    Causal,
}

/// <summary>Keras <c>data_format</c> (<c>dim_ordering</c> "tf"/"th" in Keras 1).</summary>
public enum DataFormat
{
    /// <summary>Channels last (NHWC), Keras's default.</summary>
    ChannelsLast,
    /// <summary>Channels first (NCHW).</summary>
    ChannelsFirst,
}
