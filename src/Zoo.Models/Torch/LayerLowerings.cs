using Zoo.Formats;
using Zoo.Formats.Layers;

namespace Zoo.Models.Torch;

/// <summary>
/// The registration table of TorchSharp lowerings, keyed by Keras class name like
/// <see cref="LayerSpecs"/>; a test checks every spec has an entry here.
/// </summary>
public static class LayerLowerings
{
    private static Func<LayerSpec, LoweredLayer> Of<T>(Func<T, LoweredLayer> make) where T : LayerSpec
        => spec => make((T)spec);

    private static readonly Dictionary<string, Func<LayerSpec, LoweredLayer>> table = new(StringComparer.Ordinal)
    {
        ["InputLayer"] = Of<InputLayerSpec>(s => new InputLayerLowering(s)),
        ["Dense"] = Of<DenseSpec>(s => new DenseLowering(s)),
        ["Activation"] = Of<ActivationSpec>(s => new ActivationLowering(s)),
        ["Dropout"] = Of<DropoutSpec>(s => new DropoutLowering(s)),
        ["SpatialDropout1D"] = Of<DropoutSpec>(s => new DropoutLowering(s)),
        ["SpatialDropout2D"] = Of<DropoutSpec>(s => new DropoutLowering(s)),
        ["SpatialDropout3D"] = Of<DropoutSpec>(s => new DropoutLowering(s)),
        ["GaussianNoise"] = Of<DropoutSpec>(s => new DropoutLowering(s)),
        ["GaussianDropout"] = Of<DropoutSpec>(s => new DropoutLowering(s)),
        ["AlphaDropout"] = Of<DropoutSpec>(s => new DropoutLowering(s)),
        ["ActivityRegularization"] = Of<IdentitySpec>(s => new IdentityLowering(s)),
        ["Masking"] = Of<MaskingSpec>(s => new MaskingLowering(s)),
        ["Flatten"] = Of<FlattenSpec>(s => new FlattenLowering(s)),
        ["Reshape"] = Of<ReshapeSpec>(s => new ReshapeLowering(s)),
        ["Permute"] = Of<PermuteSpec>(s => new PermuteLowering(s)),
        ["RepeatVector"] = Of<RepeatVectorSpec>(s => new RepeatVectorLowering(s)),
        ["Conv1D"] = Of<ConvSpec>(s => new ConvLowering(s)),
        ["Conv2D"] = Of<ConvSpec>(s => new ConvLowering(s)),
        ["Conv3D"] = Of<ConvSpec>(s => new ConvLowering(s)),
        ["Convolution1D"] = Of<ConvSpec>(s => new ConvLowering(s)),
        ["Convolution3D"] = Of<ConvSpec>(s => new ConvLowering(s)),
        ["Conv1DTranspose"] = Of<ConvTransposeSpec>(s => new ConvTransposeLowering(s)),
        ["Conv2DTranspose"] = Of<ConvTransposeSpec>(s => new ConvTransposeLowering(s)),
        ["Conv3DTranspose"] = Of<ConvTransposeSpec>(s => new ConvTransposeLowering(s)),
        ["Deconvolution2D"] = Of<ConvTransposeSpec>(s => new ConvTransposeLowering(s)),
        ["Convolution2D"] = Of<ConvSpec>(s => new ConvLowering(s)),
        ["AtrousConvolution1D"] = Of<ConvSpec>(s => new ConvLowering(s)),
        ["AtrousConvolution2D"] = Of<ConvSpec>(s => new ConvLowering(s)),
        ["DepthwiseConv2D"] = Of<DepthwiseConv2DSpec>(s => new DepthwiseConv2DLowering(s)),
        ["SeparableConv1D"] = Of<SeparableConvSpec>(s => new SeparableConvLowering(s)),
        ["SeparableConv2D"] = Of<SeparableConvSpec>(s => new SeparableConvLowering(s)),
        ["SeparableConvolution2D"] = Of<SeparableConvSpec>(s => new SeparableConvLowering(s)),
        ["MaxPooling1D"] = Of<PoolingSpec>(s => new PoolingLowering(s)),
        ["MaxPooling2D"] = Of<PoolingSpec>(s => new PoolingLowering(s)),
        ["MaxPool1D"] = Of<PoolingSpec>(s => new PoolingLowering(s)),
        ["MaxPool2D"] = Of<PoolingSpec>(s => new PoolingLowering(s)),
        ["MaxPooling3D"] = Of<PoolingSpec>(s => new PoolingLowering(s)),
        ["MaxPool3D"] = Of<PoolingSpec>(s => new PoolingLowering(s)),
        ["AveragePooling3D"] = Of<PoolingSpec>(s => new PoolingLowering(s)),
        ["AvgPool3D"] = Of<PoolingSpec>(s => new PoolingLowering(s)),
        ["AveragePooling1D"] = Of<PoolingSpec>(s => new PoolingLowering(s)),
        ["AveragePooling2D"] = Of<PoolingSpec>(s => new PoolingLowering(s)),
        ["AvgPool1D"] = Of<PoolingSpec>(s => new PoolingLowering(s)),
        ["AvgPool2D"] = Of<PoolingSpec>(s => new PoolingLowering(s)),
        ["GlobalMaxPooling1D"] = Of<GlobalPoolingSpec>(s => new GlobalPoolingLowering(s)),
        ["GlobalMaxPooling2D"] = Of<GlobalPoolingSpec>(s => new GlobalPoolingLowering(s)),
        ["GlobalMaxPool1D"] = Of<GlobalPoolingSpec>(s => new GlobalPoolingLowering(s)),
        ["GlobalMaxPool2D"] = Of<GlobalPoolingSpec>(s => new GlobalPoolingLowering(s)),
        ["GlobalMaxPooling3D"] = Of<GlobalPoolingSpec>(s => new GlobalPoolingLowering(s)),
        ["GlobalMaxPool3D"] = Of<GlobalPoolingSpec>(s => new GlobalPoolingLowering(s)),
        ["GlobalAveragePooling3D"] = Of<GlobalPoolingSpec>(s => new GlobalPoolingLowering(s)),
        ["GlobalAvgPool3D"] = Of<GlobalPoolingSpec>(s => new GlobalPoolingLowering(s)),
        ["GlobalAveragePooling1D"] = Of<GlobalPoolingSpec>(s => new GlobalPoolingLowering(s)),
        ["GlobalAveragePooling2D"] = Of<GlobalPoolingSpec>(s => new GlobalPoolingLowering(s)),
        ["GlobalAvgPool1D"] = Of<GlobalPoolingSpec>(s => new GlobalPoolingLowering(s)),
        ["GlobalAvgPool2D"] = Of<GlobalPoolingSpec>(s => new GlobalPoolingLowering(s)),
        ["ZeroPadding1D"] = Of<ZeroPaddingSpec>(s => new ZeroPaddingLowering(s)),
        ["ZeroPadding2D"] = Of<ZeroPaddingSpec>(s => new ZeroPaddingLowering(s)),
        ["ZeroPadding3D"] = Of<ZeroPaddingSpec>(s => new ZeroPaddingLowering(s)),
        ["Cropping1D"] = Of<CroppingSpec>(s => new CroppingLowering(s)),
        ["Cropping2D"] = Of<CroppingSpec>(s => new CroppingLowering(s)),
        ["Cropping3D"] = Of<CroppingSpec>(s => new CroppingLowering(s)),
        ["UpSampling1D"] = Of<UpSamplingSpec>(s => new UpSamplingLowering(s)),
        ["UpSampling2D"] = Of<UpSamplingSpec>(s => new UpSamplingLowering(s)),
        ["UpSampling3D"] = Of<UpSamplingSpec>(s => new UpSamplingLowering(s)),
        ["BatchNormalization"] = Of<BatchNormalizationSpec>(s => new BatchNormalizationLowering(s)),
        ["LayerNormalization"] = Of<LayerNormalizationSpec>(s => new LayerNormalizationLowering(s)),
        ["GroupNormalization"] = Of<GroupNormalizationSpec>(s => new GroupNormalizationLowering(s)),
        ["Normalization"] = Of<NormalizationSpec>(s => new NormalizationLowering(s)),
        ["Add"] = Of<MergeSpec>(s => new MergeLowering(s)),
        ["Subtract"] = Of<MergeSpec>(s => new MergeLowering(s)),
        ["Multiply"] = Of<MergeSpec>(s => new MergeLowering(s)),
        ["Average"] = Of<MergeSpec>(s => new MergeLowering(s)),
        ["Maximum"] = Of<MergeSpec>(s => new MergeLowering(s)),
        ["Minimum"] = Of<MergeSpec>(s => new MergeLowering(s)),
        ["Concatenate"] = Of<MergeSpec>(s => new MergeLowering(s)),
        ["Merge"] = Of<MergeSpec>(s => new MergeLowering(s)),
        ["Dot"] = Of<DotSpec>(s => new DotLowering(s)),
        ["ReLU"] = Of<ReLUSpec>(s => new ReLULowering(s)),
        ["LeakyReLU"] = Of<LeakyReLUSpec>(s => new LeakyReLULowering(s)),
        ["PReLU"] = Of<PReLUSpec>(s => new PReLULowering(s)),
        ["ELU"] = Of<ELUSpec>(s => new ELULowering(s)),
        ["ThresholdedReLU"] = Of<ThresholdedReLUSpec>(s => new ThresholdedReLULowering(s)),
        ["Softmax"] = Of<SoftmaxSpec>(s => new SoftmaxLowering(s)),
        ["Embedding"] = Of<EmbeddingSpec>(s => new EmbeddingLowering(s)),
        ["LSTM"] = Of<LSTMSpec>(s => new LSTMLowering(s)),
        ["GRU"] = Of<GRUSpec>(s => new GRULowering(s)),
        ["SimpleRNN"] = Of<SimpleRNNSpec>(s => new SimpleRNNLowering(s)),
        ["Bidirectional"] = Of<BidirectionalSpec>(s => new BidirectionalLowering(s)),
        ["TimeDistributed"] = Of<TimeDistributedSpec>(s => new TimeDistributedLowering(s)),
        ["Attention"] = Of<AttentionSpec>(s => new AttentionLowering(s)),
        ["Rescaling"] = Of<RescalingSpec>(s => new RescalingLowering(s)),
        ["UnitNormalization"] = Of<UnitNormalizationSpec>(s => new UnitNormalizationLowering(s)),
        ["Addons>InstanceNormalization"] = Of<GroupNormalizationSpec>(s => new GroupNormalizationLowering(s)),
        ["Addons>GroupNormalization"] = Of<GroupNormalizationSpec>(s => new GroupNormalizationLowering(s)),
        ["Addons>WeightNormalization"] = Of<WeightNormalizationSpec>(s => new WeightNormalizationLowering(s)),
        ["SpectralNormalization"] = Of<SpectralNormalizationSpec>(s => new SpectralNormalizationLowering(s)),
        ["Addons>SpectralNormalization"] = Of<SpectralNormalizationSpec>(s => new SpectralNormalizationLowering(s)),
        [BatchInstanceNormalizationSpec.KerasName] = Of<BatchInstanceNormalizationSpec>(s => new BatchInstanceNormalizationLowering(s)),
        [SwitchableNormalizationSpec.KerasName] = Of<SwitchableNormalizationSpec>(s => new SwitchableNormalizationLowering(s)),
        [OnlineNormalizationSpec.KerasName] = Of<OnlineNormalizationSpec>(s => new OnlineNormalizationLowering(s)),
        [CosineNormalizationSpec.KerasName] = Of<CosineNormalizationSpec>(s => new CosineNormalizationLowering(s)),
    };

    /// <summary>Every class name with a lowering.</summary>
    public static IReadOnlyCollection<string> ClassNames => table.Keys;

    /// <summary>True when <paramref name="className"/> has a lowering.</summary>
    public static bool IsKnown(string className) => table.ContainsKey(className);

    /// <summary>Lowers <paramref name="spec"/>; an unknown class raises <see cref="UnsupportedFeatureException"/>.</summary>
    public static LoweredLayer Create(LayerSpec spec)
        => table.TryGetValue(spec.ClassName, out var make) ? make(spec)
            : throw new UnsupportedFeatureException($"layer '{spec.Name}': class '{spec.ClassName}' has no TorchSharp lowering", null, $"layers/{spec.Name}");
}
