namespace Zoo.Formats.Layers;

/// <summary>
/// TensorFlow Addons' <c>WeightNormalization</c> wrapper (stored as <c>Addons&gt;WeightNormalization</c>) around a
/// Dense or convolution layer: kernel = g · v/‖v‖, the norm taken per output unit over every kernel axis but
/// the last; v is the inner layer's own <c>kernel</c>. Weights in tf.keras order: g (units), the inner
/// layer's kernel (v) and bias, the non-trainable boolean scalar <c>initialized</c>, and with
/// <c>data_init</c> (TFA's default) the kernel and bias of the frozen clone TFA builds under the
/// <c>data_dep_init</c> scope for its data-dependent initialization.
/// </summary>
/// <param name="Name">The wrapper's name.</param>
/// <param name="ClassName">The Keras class name.</param>
/// <param name="Inner">The wrapped Dense or convolution.</param>
/// <param name="DataInit">TFA's <c>data_init</c>: on the first call, g and bias are set from the batch's statistics.</param>
public sealed record WeightNormalizationSpec(string Name, string ClassName, LayerSpec Inner, bool DataInit) : LayerSpec(Name, ClassName)
{
    /// <summary>The scope of the data-dependent-initialization clone's weights.</summary>
    public const string CloneScope = "data_dep_init";

    /// <summary>Reads the wrapper; only Dense and Conv1D/2D/3D are supported inside it.</summary>
    public static WeightNormalizationSpec Read(LayerConfig c)
    {
        var inner = WrappedLayer.Read(c);
        if (inner is not (DenseSpec or ConvSpec))
            throw new UnsupportedFeatureException(
                $"layer '{c.Name}' ({c.Node.ClassName}): wrapping '{inner.ClassName}' is not supported (only Dense and Conv1D/2D/3D)", null, $"layers/{c.Name}/config/layer");
        return new(c.Name, c.Node.ClassName, inner, c.Bool(true, "data_init"));
    }

    /// <summary>Whether the wrapped layer has a bias.</summary>
    public bool HasBias => Inner switch { DenseSpec d => d.UseBias, ConvSpec cv => cv.UseBias, _ => false };

    /// <inheritdoc/>
    public override IReadOnlyList<WeightSpec> Weights(IReadOnlyList<long[]> inputShapes)
    {
        var inner = Inner.Weights(inputShapes);
        var w = new List<WeightSpec> { new("g", new[] { inner[0].Shape[^1] }) };
        w.AddRange(inner);
        w.Add(new("initialized", Array.Empty<long>()));
        if (DataInit) w.AddRange(inner.Select(i => i with { Scope = CloneScope }));
        return w;
    }

    /// <inheritdoc/>
    /// <remarks>The <c>initialized</c> flag and the data-init clone of the inner layer are non-trainable.</remarks>
    public override bool IsTrainableWeight(string storedName)
        => ShortName(storedName) != "initialized" && !storedName.Split('/').Contains(CloneScope);
}
