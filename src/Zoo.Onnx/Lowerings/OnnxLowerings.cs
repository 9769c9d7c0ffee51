using Zoo.Formats.Layers;

namespace Zoo.Onnx.Lowerings;

/// <summary>
/// The one table of ONNX lowerings, keyed by Keras <c>class_name</c> exactly as <see cref="LayerSpecs"/> is;
/// each entry appends the layer's nodes and returns its output values (Keras layout).
/// </summary>
public static class OnnxLowerings
{
    private static readonly Dictionary<string, Func<OnnxLayerContext, IReadOnlyList<string>>> Table = new(StringComparer.Ordinal)
    {
        ["Dense"] = CoreOnnx.Dense,
        ["Embedding"] = CoreOnnx.Embedding,
        ["Rescaling"] = CoreOnnx.Rescaling,
        ["Dropout"] = CoreOnnx.Identity,
        ["SpatialDropout1D"] = CoreOnnx.Identity,
        ["SpatialDropout2D"] = CoreOnnx.Identity,
        ["SpatialDropout3D"] = CoreOnnx.Identity,
        ["GaussianNoise"] = CoreOnnx.Identity,
        ["GaussianDropout"] = CoreOnnx.Identity,
        ["AlphaDropout"] = CoreOnnx.Identity,
        ["ActivityRegularization"] = CoreOnnx.Identity,
        ["Activation"] = ActivationOnnx.Activation,
        ["ReLU"] = ActivationOnnx.ReLU,
        ["LeakyReLU"] = ActivationOnnx.LeakyReLU,
        ["PReLU"] = ActivationOnnx.PReLU,
        ["ELU"] = ActivationOnnx.ELU,
        ["ThresholdedReLU"] = ActivationOnnx.ThresholdedReLU,
        ["Softmax"] = ActivationOnnx.Softmax,
        ["Flatten"] = ShapeOnnx.Flatten,
        ["Reshape"] = ShapeOnnx.Reshape,
        ["Permute"] = ShapeOnnx.Permute,
        ["RepeatVector"] = ShapeOnnx.RepeatVector,
        ["ZeroPadding1D"] = ShapeOnnx.ZeroPadding,
        ["ZeroPadding2D"] = ShapeOnnx.ZeroPadding,
        ["ZeroPadding3D"] = ShapeOnnx.ZeroPadding,
        ["Cropping1D"] = ShapeOnnx.Cropping,
        ["Cropping2D"] = ShapeOnnx.Cropping,
        ["Cropping3D"] = ShapeOnnx.Cropping,
        ["UpSampling1D"] = ShapeOnnx.UpSampling,
        ["UpSampling2D"] = ShapeOnnx.UpSampling,
        ["UpSampling3D"] = ShapeOnnx.UpSampling,
        ["Conv1D"] = ConvOnnx.Conv,
        ["Conv2D"] = ConvOnnx.Conv,
        ["Convolution1D"] = ConvOnnx.Conv,
        ["Convolution2D"] = ConvOnnx.Conv,
        ["AtrousConvolution1D"] = ConvOnnx.Conv,
        ["AtrousConvolution2D"] = ConvOnnx.Conv,
        ["Conv3D"] = ConvOnnx.Conv,
        ["Convolution3D"] = ConvOnnx.Conv,
        ["Conv1DTranspose"] = ConvTransposeOnnx.ConvTranspose,
        ["Conv2DTranspose"] = ConvTransposeOnnx.ConvTranspose,
        ["Conv3DTranspose"] = ConvTransposeOnnx.ConvTranspose,
        ["Deconvolution2D"] = ConvTransposeOnnx.ConvTranspose,
        ["DepthwiseConv2D"] = ConvOnnx.Depthwise,
        ["SeparableConv1D"] = ConvOnnx.Separable,
        ["SeparableConv2D"] = ConvOnnx.Separable,
        ["SeparableConvolution2D"] = ConvOnnx.Separable,
        ["MaxPooling1D"] = PoolingOnnx.Pool,
        ["MaxPooling2D"] = PoolingOnnx.Pool,
        ["MaxPool1D"] = PoolingOnnx.Pool,
        ["MaxPool2D"] = PoolingOnnx.Pool,
        ["AveragePooling1D"] = PoolingOnnx.Pool,
        ["AveragePooling2D"] = PoolingOnnx.Pool,
        ["AvgPool1D"] = PoolingOnnx.Pool,
        ["AvgPool2D"] = PoolingOnnx.Pool,
        ["MaxPooling3D"] = PoolingOnnx.Pool,
        ["MaxPool3D"] = PoolingOnnx.Pool,
        ["AveragePooling3D"] = PoolingOnnx.Pool,
        ["AvgPool3D"] = PoolingOnnx.Pool,
        ["GlobalMaxPooling1D"] = PoolingOnnx.Global,
        ["GlobalMaxPooling2D"] = PoolingOnnx.Global,
        ["GlobalMaxPool1D"] = PoolingOnnx.Global,
        ["GlobalMaxPool2D"] = PoolingOnnx.Global,
        ["GlobalAveragePooling1D"] = PoolingOnnx.Global,
        ["GlobalAveragePooling2D"] = PoolingOnnx.Global,
        ["GlobalAvgPool1D"] = PoolingOnnx.Global,
        ["GlobalAvgPool2D"] = PoolingOnnx.Global,
        ["GlobalMaxPooling3D"] = PoolingOnnx.Global,
        ["GlobalMaxPool3D"] = PoolingOnnx.Global,
        ["GlobalAveragePooling3D"] = PoolingOnnx.Global,
        ["GlobalAvgPool3D"] = PoolingOnnx.Global,
        ["BatchNormalization"] = NormalizationOnnx.BatchNorm,
        ["LayerNormalization"] = NormalizationOnnx.LayerNorm,
        ["GroupNormalization"] = GroupNormalizationOnnx.GroupNorm,
        ["UnitNormalization"] = NormalizationOnnx.UnitNorm,
        ["Addons>InstanceNormalization"] = GroupNormalizationOnnx.GroupNorm,
        ["Addons>GroupNormalization"] = GroupNormalizationOnnx.GroupNorm,
        ["Addons>WeightNormalization"] = WeightNormalizationOnnx.WeightNorm,
        ["SpectralNormalization"] = SpectralNormalizationOnnx.SpectralNorm,
        ["Addons>SpectralNormalization"] = SpectralNormalizationOnnx.SpectralNorm,
        [BatchInstanceNormalizationSpec.KerasName] = ZooNormalizationOnnx.BatchInstance,
        [SwitchableNormalizationSpec.KerasName] = ZooNormalizationOnnx.Switchable,
        [OnlineNormalizationSpec.KerasName] = ZooNormalizationOnnx.Online,
        [CosineNormalizationSpec.KerasName] = CosineNormalizationOnnx.Cosine,
        ["Normalization"] = NormalizationOnnx.Preprocessing,
        ["Add"] = MergeOnnx.Merge,
        ["Subtract"] = MergeOnnx.Merge,
        ["Multiply"] = MergeOnnx.Merge,
        ["Average"] = MergeOnnx.Merge,
        ["Maximum"] = MergeOnnx.Merge,
        ["Minimum"] = MergeOnnx.Merge,
        ["Concatenate"] = MergeOnnx.Merge,
        ["Merge"] = MergeOnnx.Merge,
        ["Dot"] = DotOnnx.Dot,
        ["LSTM"] = RecurrentOnnx.Lstm,
        ["GRU"] = RecurrentOnnx.Gru,
        ["SimpleRNN"] = RecurrentOnnx.SimpleRnn,
        ["Bidirectional"] = WrapperOnnx.Bidirectional,
        ["TimeDistributed"] = WrapperOnnx.TimeDistributed,
        ["Attention"] = AttentionOnnx.Attention,
    };

    /// <summary>The Keras class names that can be exported (InputLayer and nested models are handled by the exporter itself).</summary>
    public static IReadOnlyCollection<string> ClassNames => Table.Keys;

    /// <summary>Whether <paramref name="className"/> has an ONNX lowering.</summary>
    public static bool IsSupported(string className) => Table.ContainsKey(className);

    internal static IReadOnlyList<string> Lower(OnnxLayerContext c)
    {
        if (!Table.TryGetValue(c.Spec.ClassName, out var lower))
            throw c.Unsupported($"no ONNX lowering is registered for class '{c.Spec.ClassName}'");
        return lower(c);
    }
}
