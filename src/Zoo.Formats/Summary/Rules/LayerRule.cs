using Zoo.Formats.Ir;

namespace Zoo.Formats.Summary.Rules;

/// <summary>Output shapes of one call of a layer, from its config and input shapes; null when they cannot be known.</summary>
internal delegate IReadOnlyList<TensorShape>? ShapeRule(LayerNode layer, ConfigView c, IReadOnlyList<TensorShape> inputs);

/// <summary>A layer's parameter count from its config and first call's input shapes; null when it cannot be known.</summary>
internal delegate ParamCount? ParamRule(LayerNode layer, ConfigView c, IReadOnlyList<TensorShape> inputs);

/// <summary>What Zoo knows about one Keras layer class: how it shapes its outputs and, when it has weights, how many.</summary>
/// <param name="Shape">Output-shape rule.</param>
/// <param name="Params">Parameter rule; null for layers without weights.</param>
internal sealed record LayerRule(ShapeRule Shape, ParamRule? Params = null);
