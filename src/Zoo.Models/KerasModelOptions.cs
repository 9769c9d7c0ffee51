using Zoo.Formats;
using Zoo.Formats.Layers;
using Zoo.Models.Torch;

namespace Zoo.Models;

/// <summary>
/// How a Keras model is made runnable: the file options, and C# implementations for layers Zoo does not
/// know (custom classes by class name, <c>Lambda</c> layers by layer name, since their Python is never run).
/// </summary>
public sealed class KerasModelOptions
{
    /// <summary>Options for reading the file (safe mode, archive limits).</summary>
    public LoadOptions FileOptions { get; init; } = LoadOptions.Default;

    /// <summary>Implementations of custom layer classes, keyed by Keras class name; they take precedence over built-ins.</summary>
    public Dictionary<string, Func<CustomLayerSpec, LoweredLayer>> CustomLayers { get; } = new(StringComparer.Ordinal);

    /// <summary>Implementations of <c>Lambda</c> layers, keyed by layer name.</summary>
    public Dictionary<string, Func<CustomLayerSpec, LoweredLayer>> LambdaLayers { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether the executor keeps tensors in torch's channels-first layout between layers that can run so
    /// (the default); off, every layer converts around its own torch op. The answers are the same either way;
    /// tests and the runtime benchmark compare the two.
    /// </summary>
    internal bool CarryChannelsFirst { get; init; } = true;

    /// <summary>The registered implementation for <paramref name="node"/>, or null to use the built-in one.</summary>
    internal LoweredLayer? CreateCustom(Zoo.Formats.Ir.LayerNode node)
    {
        var spec = new CustomLayerSpec(node.Name, node.ClassName, node.Config);
        if (CustomLayers.TryGetValue(node.ClassName, out var make)) return make(spec);
        if (node.ClassName is "Lambda" or "TFOpLambda" or "SlicingOpLambda")
        {
            if (LambdaLayers.TryGetValue(node.Name, out var lambda)) return lambda(spec);
            throw new UnsupportedFeatureException(
                $"layer '{node.Name}' is a {node.ClassName}: its Python code is never run; register a C# implementation in KerasModelOptions.LambdaLayers[\"{node.Name}\"]",
                null, $"layers/{node.Name}");
        }
        return null;
    }
}
