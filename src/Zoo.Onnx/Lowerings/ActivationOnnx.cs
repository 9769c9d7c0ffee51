using Zoo.Formats.Layers;

namespace Zoo.Onnx.Lowerings;

/// <summary>
/// Keras activations and the activation layers (Activation, ReLU, LeakyReLU, PReLU, ELU, ThresholdedReLU,
/// Softmax) as ONNX ops. hard_sigmoid keeps its dialect's meaning: Keras 2 is clip(0.2x+0.5), Keras 3 is relu6(x+3)/6.
/// </summary>
internal static class ActivationOnnx
{
    /// <summary>Applies <paramref name="a"/> to <paramref name="x"/>; linear adds nothing.</summary>
    public static string Apply(OnnxLayerContext c, string x, KerasActivation a) => a switch
    {
        KerasActivation.Linear => x,
        KerasActivation.Relu => c.Op("Relu", x),
        KerasActivation.Relu6 => c.Op("Clip", new[] { x, c.Scalar("zero", 0), c.Scalar("six", 6) }),
        KerasActivation.Sigmoid => c.Op("Sigmoid", x),
        KerasActivation.HardSigmoidKeras2 => c.Op("HardSigmoid", x, ("alpha", 0.2f), ("beta", 0.5f)),
        KerasActivation.HardSigmoidKeras3 => c.Op("HardSigmoid", x, ("alpha", 1f / 6f), ("beta", 0.5f)),
        KerasActivation.HardSilu => c.Op("HardSwish", x),
        KerasActivation.Tanh => c.Op("Tanh", x),
        KerasActivation.Softmax => c.Op("Softmax", x, ("axis", -1)),
        KerasActivation.LogSoftmax => c.Op("LogSoftmax", x, ("axis", -1)),
        KerasActivation.Softplus => c.Op("Softplus", x),
        KerasActivation.Softsign => c.Op("Softsign", x),
        KerasActivation.Elu => c.Op("Elu", x, ("alpha", 1f)),
        KerasActivation.Selu => c.Op("Selu", x),
        KerasActivation.Exponential => c.Op("Exp", x),
        KerasActivation.Swish => c.Op("Mul", new[] { x, c.Op("Sigmoid", x) }),
        KerasActivation.Gelu => Gelu(c, x),
        KerasActivation.Mish => c.Op("Mul", new[] { x, c.Op("Tanh", c.Op("Softplus", x)) }),
        KerasActivation.LeakyRelu => c.Op("LeakyRelu", x, ("alpha", 0.2f)),
        _ => throw c.Unsupported($"activation {a}"),
    };

    // Exact gelu, 0.5·x·(1 + erf(x/√2)); opset 17 has no Gelu op (it arrived in 20).
    private static string Gelu(OnnxLayerContext c, string x)
    {
        var erf = c.Op("Erf", c.Op("Div", new[] { x, c.Scalar("sqrt2", Math.Sqrt(2)) }));
        var onePlus = c.Op("Add", new[] { erf, c.Scalar("one", 1) });
        return c.Op("Mul", new[] { c.Op("Mul", new[] { x, onePlus }), c.Scalar("half", 0.5) });
    }

    /// <summary><c>Activation</c>.</summary>
    public static IReadOnlyList<string> Activation(OnnxLayerContext c) => new[] { Apply(c, c.X, ((ActivationSpec)c.Spec).Activation) };

    /// <summary><c>ReLU(max_value, negative_slope, threshold)</c>.</summary>
    public static IReadOnlyList<string> ReLU(OnnxLayerContext c)
    {
        var s = (ReLUSpec)c.Spec;
        string y;
        if (s.NegativeSlope == 0 && s.Threshold == 0) y = c.Op("Relu", c.X);
        else
        {
            var th = c.Scalar("threshold", s.Threshold);
            var below = c.Op("Mul", new[] { c.Op("Sub", new[] { c.X, th }), c.Scalar("negative_slope", s.NegativeSlope) });
            y = c.Op("Where", new[] { c.Op("Greater", new[] { c.X, th }), c.X, below });
        }
        return new[] { s.MaxValue is double m ? c.Op("Min", new[] { y, c.Scalar("max_value", m) }) : y };
    }

    /// <summary><c>LeakyReLU</c>.</summary>
    public static IReadOnlyList<string> LeakyReLU(OnnxLayerContext c) => new[] { c.Op("LeakyRelu", c.X, ("alpha", (float)((LeakyReLUSpec)c.Spec).Slope)) };

    /// <summary><c>ELU</c>.</summary>
    public static IReadOnlyList<string> ELU(OnnxLayerContext c) => new[] { c.Op("Elu", c.X, ("alpha", (float)((ELUSpec)c.Spec).Alpha)) };

    /// <summary><c>ThresholdedReLU</c>: x where x &gt; θ, else 0.</summary>
    public static IReadOnlyList<string> ThresholdedReLU(OnnxLayerContext c) => new[] { c.Op("ThresholdedRelu", c.X, ("alpha", (float)((ThresholdedReLUSpec)c.Spec).Theta)) };

    /// <summary><c>Softmax(axis)</c>.</summary>
    public static IReadOnlyList<string> Softmax(OnnxLayerContext c) => new[] { c.Op("Softmax", c.X, ("axis", ((SoftmaxSpec)c.Spec).Axis)) };

    /// <summary><c>PReLU</c>: the alpha weight (shape of the input without batch) broadcasts from the right.</summary>
    public static IReadOnlyList<string> PReLU(OnnxLayerContext c)
    {
        var spec = c.WeightSpecs[0];
        return new[] { c.Op("PRelu", new[] { c.X, c.Init("alpha", spec.Shape, c.Weights[0]) }) };
    }
}
