using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Layers;

/// <summary>The built-in Keras activations, as named in configs.</summary>
public enum KerasActivation
{
    /// <summary><c>linear</c> (or absent): identity.</summary>
    Linear,
    /// <summary><c>relu</c>.</summary>
    Relu,
    /// <summary><c>relu6</c>: min(max(x,0),6).</summary>
    Relu6,
    /// <summary><c>sigmoid</c>.</summary>
    Sigmoid,
    /// <summary><c>hard_sigmoid</c> as Keras 1/2 define it: clip(0.2·x + 0.5, 0, 1).</summary>
    HardSigmoidKeras2,
    /// <summary><c>hard_sigmoid</c> as Keras 3 defines it: relu6(x + 3) / 6.</summary>
    HardSigmoidKeras3,
    /// <summary><c>hard_silu</c> / <c>hard_swish</c> (Keras 3): x · relu6(x + 3) / 6.</summary>
    HardSilu,
    /// <summary><c>tanh</c>.</summary>
    Tanh,
    /// <summary><c>softmax</c> over the last axis.</summary>
    Softmax,
    /// <summary><c>log_softmax</c> over the last axis.</summary>
    LogSoftmax,
    /// <summary><c>softplus</c>: log(1 + eˣ).</summary>
    Softplus,
    /// <summary><c>softsign</c>: x / (1 + |x|).</summary>
    Softsign,
    /// <summary><c>elu</c> with α = 1.</summary>
    Elu,
    /// <summary><c>selu</c>.</summary>
    Selu,
    /// <summary><c>exponential</c>: eˣ.</summary>
    Exponential,
    /// <summary><c>swish</c> / <c>silu</c>: x · sigmoid(x).</summary>
    Swish,
    /// <summary><c>gelu</c>, exact erf form (Keras's default, approximate=False).</summary>
    Gelu,
    /// <summary><c>mish</c>: x · tanh(softplus(x)).</summary>
    Mish,
    /// <summary><c>leaky_relu</c> as an activation function (Keras 3, negative slope 0.2).</summary>
    LeakyRelu,
}

/// <summary>Parsing of activation names in every dialect.</summary>
public static class KerasActivations
{
    /// <summary>
    /// Reads an activation given as a name (Keras 1/2) or a serialized function object (Keras 3:
    /// <c>{"class_name": "function", "config": "relu"}</c>); <c>hard_sigmoid</c> resolves per dialect.
    /// </summary>
    public static KerasActivation Parse(JsonNode? value, KerasDialectKind dialect, LayerConfig cfg, string key)
    {
        string? name = value switch
        {
            null => "linear",
            JsonValue v when v.TryGetValue(out string? s) => s,
            JsonObject o when o["config"] is JsonValue c && c.TryGetValue(out string? s) => s,
            JsonObject o when o["class_name"] is JsonValue c && c.TryGetValue(out string? s) => s,
            _ => throw cfg.Bad(key, "an activation name", value),
        };
        return FromName(name, dialect) ?? throw new UnsupportedFeatureException(
            $"layer '{cfg.Name}' ({cfg.Node.ClassName}): activation '{name}' is not a built-in Keras activation (register a custom one)",
            null, $"layers/{cfg.Name}/config/{key}");
    }

    /// <summary>The activation named <paramref name="name"/>; null when it is not a built-in.</summary>
    public static KerasActivation? FromName(string? name, KerasDialectKind dialect) => name switch
    {
        null or "" or "linear" => KerasActivation.Linear,
        "relu" => KerasActivation.Relu,
        "relu6" => KerasActivation.Relu6,
        "sigmoid" => KerasActivation.Sigmoid,
        "hard_sigmoid" => dialect == KerasDialectKind.Keras3 ? KerasActivation.HardSigmoidKeras3 : KerasActivation.HardSigmoidKeras2,
        "hard_silu" or "hard_swish" => KerasActivation.HardSilu,
        "tanh" => KerasActivation.Tanh,
        "softmax" => KerasActivation.Softmax,
        "log_softmax" => KerasActivation.LogSoftmax,
        "softplus" => KerasActivation.Softplus,
        "softsign" => KerasActivation.Softsign,
        "elu" => KerasActivation.Elu,
        "selu" => KerasActivation.Selu,
        "exponential" => KerasActivation.Exponential,
        "swish" or "silu" => KerasActivation.Swish,
        "gelu" => KerasActivation.Gelu,
        "mish" => KerasActivation.Mish,
        "leaky_relu" => KerasActivation.LeakyRelu,
        _ => null,
    };
}
