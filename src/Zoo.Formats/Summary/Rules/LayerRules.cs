using Zoo.Formats.Ir;

namespace Zoo.Formats.Summary.Rules;

/// <summary>
/// The registration table: Keras class name (any dialect) → what Zoo knows about that layer's output
/// shapes and parameter count. A class missing here gets the shape "?" and an unknown count.
/// </summary>
internal static class LayerRules
{
    /// <summary>Weights exist but their count is not derived from the config.</summary>
    private static readonly ParamRule UnknownParams = (l, c, x) => null;

    private static readonly Dictionary<string, LayerRule> Table = Build();

    private static Dictionary<string, LayerRule> Build()
    {
        var t = new Dictionary<string, LayerRule>(StringComparer.Ordinal)
        {
            ["InputLayer"] = CoreRules.Input,
            ["Dense"] = CoreRules.Dense,
            ["Embedding"] = CoreRules.Embedding,
            ["Flatten"] = CoreRules.Flatten,
            ["Reshape"] = CoreRules.Reshape,
            ["Permute"] = CoreRules.Permute,
            ["RepeatVector"] = CoreRules.RepeatVector,
            ["PReLU"] = CoreRules.PReLU,
            ["BatchNormalization"] = NormalizationRules.BatchNorm,
            ["LayerNormalization"] = NormalizationRules.LayerNorm,
            ["GroupNormalization"] = NormalizationRules.GroupNorm,
            ["Normalization"] = new(CoreRules.Identity.Shape, UnknownParams),
            ["Attention"] = new((l, c, x) => [x[0]], (l, c, x) => new ParamCount(
                (c.Bool(false, "use_scale") ? 1 : 0) + (c.Str("score_mode") == "concat" ? 1 : 0), 0)),
            ["Add"] = MergeRules.Elementwise,
            ["Subtract"] = MergeRules.Elementwise,
            ["Multiply"] = MergeRules.Elementwise,
            ["Average"] = MergeRules.Elementwise,
            ["Maximum"] = MergeRules.Elementwise,
            ["Minimum"] = MergeRules.Elementwise,
            ["Concatenate"] = MergeRules.Concatenate,
            ["Merge"] = MergeRules.Keras1Merge,
            ["SimpleRNN"] = RecurrentRules.For(gates: 1, states: 1),
            ["GRU"] = RecurrentRules.For(gates: 3, states: 1),
            ["LSTM"] = RecurrentRules.For(gates: 4, states: 2),
            ["CuDNNGRU"] = RecurrentRules.For(gates: 3, states: 1, cudnn: true),
            ["CuDNNLSTM"] = RecurrentRules.For(gates: 4, states: 2, cudnn: true),
            ["Bidirectional"] = WrapperRules.Bidirectional,
            ["TimeDistributed"] = WrapperRules.TimeDistributed,
            ["ZeroPadding1D"] = PoolingRules.Padding(1, +1, "padding"),
            ["ZeroPadding2D"] = PoolingRules.Padding(2, +1, "padding"),
            ["ZeroPadding3D"] = PoolingRules.Padding(3, +1, "padding"),
            ["Cropping1D"] = PoolingRules.Padding(1, -1, "cropping"),
            ["Cropping2D"] = PoolingRules.Padding(2, -1, "cropping"),
            ["Cropping3D"] = PoolingRules.Padding(3, -1, "cropping"),
            ["UpSampling1D"] = PoolingRules.UpSampling(1),
            ["UpSampling2D"] = PoolingRules.UpSampling(2),
            ["UpSampling3D"] = PoolingRules.UpSampling(3),
        };
        foreach (var name in new[]
                 {
                     "Activation", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
                     "GaussianDropout", "AlphaDropout", "ActivityRegularization", "Masking", "LeakyReLU", "ELU", "ReLU",
                     "Softmax", "ThresholdedReLU", "Rescaling", "UnitNormalization", "Identity",
                 })
            t[name] = CoreRules.Identity;
        for (int n = 1; n <= 3; n++)
        {
            foreach (var prefix in new[] { "Conv", "Convolution" })
            {
                t[$"{prefix}{n}D"] = ConvRules.For(n, ConvRules.Kind.Plain);
                t[$"{prefix}{n}DTranspose"] = ConvRules.For(n, ConvRules.Kind.Transpose);
            }
            foreach (var (pool, alias) in new[] { ("MaxPooling", "MaxPool"), ("AveragePooling", "AvgPool") })
            {
                t[$"{pool}{n}D"] = t[$"{alias}{n}D"] = PoolingRules.Pool(n);
                t[$"Global{pool}{n}D"] = t[$"Global{alias}{n}D"] = PoolingRules.Global(n);
            }
        }
        foreach (var name in new[] { "Zoo>BatchInstanceNormalization", "Zoo>SwitchableNormalization", "Zoo>OnlineNormalization" })
            t[name] = new(CoreRules.Identity.Shape, UnknownParams);
        t["Zoo>CosineNormalization"] = WrapperRules.SameAsInner;
        // TFA's instance and group norms read GroupNormalization's keys. The weight-normalizing wrappers give their
        // wrapped layer's shape (the ONNX export sizes the next layer's weights from it); their extra variables
        // (g, u, the data-init clone) leave the count unknown here.
        t["Addons>InstanceNormalization"] = t["Addons>GroupNormalization"] = NormalizationRules.GroupNorm;
        foreach (var name in new[] { "Addons>WeightNormalization", "SpectralNormalization", "Addons>SpectralNormalization" })
            t[name] = new(WrapperRules.SameAsInner.Shape, UnknownParams);
        t["Deconvolution2D"] = ConvRules.For(2, ConvRules.Kind.Transpose);
        t["AtrousConvolution2D"] = ConvRules.For(2, ConvRules.Kind.Plain);
        t["AtrousConvolution1D"] = ConvRules.For(1, ConvRules.Kind.Plain);
        t["DepthwiseConv1D"] = ConvRules.For(1, ConvRules.Kind.Depthwise);
        t["DepthwiseConv2D"] = ConvRules.For(2, ConvRules.Kind.Depthwise);
        t["SeparableConv1D"] = t["SeparableConvolution1D"] = ConvRules.For(1, ConvRules.Kind.Separable);
        t["SeparableConv2D"] = t["SeparableConvolution2D"] = ConvRules.For(2, ConvRules.Kind.Separable);
        return t;
    }

    /// <summary>True when Zoo has a rule for the class.</summary>
    public static bool Knows(string className) => Table.ContainsKey(className);

    /// <summary>The class names Zoo has rules for.</summary>
    public static IEnumerable<string> KnownClasses => Table.Keys;

    /// <summary>Output shapes of one call; null when unknown (unknown class, odd config, inputs it cannot take).</summary>
    public static IReadOnlyList<TensorShape>? Shapes(LayerNode layer, IReadOnlyList<TensorShape> inputs)
    {
        if (!Table.TryGetValue(layer.ClassName, out var rule)) return null;
        // InputLayer has no inputs; every other rule reads at least one.
        if (inputs.Count == 0 && layer.ClassName != "InputLayer") return null;
        return Guard(() => rule.Shape(layer, new ConfigView(layer.Config), inputs));
    }

    /// <summary>Parameter count from the config; null when unknown. Weightless known layers give zero.</summary>
    public static ParamCount? Params(LayerNode layer, IReadOnlyList<TensorShape> inputs)
    {
        if (!Table.TryGetValue(layer.ClassName, out var rule)) return null;
        if (rule.Params is null) return new ParamCount(0, 0);
        if (inputs.Count == 0) return null;
        return Guard(() => rule.Params(layer, new ConfigView(layer.Config), inputs));
    }

    // A summary must never fail on a config it does not understand: an odd value makes the answer unknown.
    private static T? Guard<T>(Func<T?> f)
    {
        try { return f(); }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException
                                      or IndexOutOfRangeException or OverflowException or KeyNotFoundException
                                      or NullReferenceException or DivideByZeroException or InvalidCastException)
        {
            return default;
        }
    }
}
