using Zoo.Formats.Ir;
using Zoo.Formats.Summary.Rules;

namespace Zoo.Formats.Summary;

/// <summary>
/// The shape facts of one layer that a graph walker outside this library needs (the ONNX exporter):
/// what an input layer declares and what one call of a layer produces. The same rules as <see cref="ModelSummary"/>.
/// </summary>
public static class LayerShapes
{
    /// <summary>
    /// The shape an <c>InputLayer</c> or a Sequential model's first layer declares, batch dimension first, in any
    /// dialect (<c>batch_shape</c>, <c>batch_input_shape</c>, <c>input_shape</c>, <c>input_dim</c>); null when it declares none.
    /// </summary>
    public static TensorShape? DeclaredInput(LayerNode layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return CoreRules.DeclaredInput(new ConfigView(layer.Config));
    }

    /// <summary>The output shapes of one call of <paramref name="layer"/> (a nested model included) on inputs of <paramref name="inputs"/> shapes; null when the rules cannot tell.</summary>
    /// <exception cref="ZooException">The layer's config cannot hold inputs of those shapes.</exception>
    public static IReadOnlyList<TensorShape>? OfCall(LayerNode layer, IReadOnlyList<TensorShape> inputs)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(inputs);
        return ShapeInference.Call(layer, inputs);
    }
}
