using Zoo.Formats.Ir;

namespace Zoo.Formats.Layers;

/// <summary>
/// The one registration table of layer specs, keyed by Keras <c>class_name</c> (Keras 1 names included).
/// Explicit on purpose: a reader greps here to learn what Zoo understands.
/// </summary>
public static class LayerSpecs
{
    private static readonly Dictionary<string, Func<LayerConfig, LayerSpec>> table = new(StringComparer.Ordinal)
    {
        ["InputLayer"] = InputLayerSpec.Read,
        ["Dense"] = DenseSpec.Read,
        ["Activation"] = ActivationSpec.Read,
        ["Dropout"] = DropoutSpec.Read,
        ["SpatialDropout1D"] = DropoutSpec.Read,
        ["SpatialDropout2D"] = DropoutSpec.Read,
        ["SpatialDropout3D"] = DropoutSpec.Read,
        ["GaussianNoise"] = DropoutSpec.Read,
        ["GaussianDropout"] = DropoutSpec.Read,
        ["AlphaDropout"] = DropoutSpec.Read,
        ["ActivityRegularization"] = IdentitySpec.Read,
        ["Masking"] = MaskingSpec.Read,
        ["Flatten"] = FlattenSpec.Read,
        ["Reshape"] = ReshapeSpec.Read,
        ["Permute"] = PermuteSpec.Read,
        ["RepeatVector"] = RepeatVectorSpec.Read,
        ["Conv1D"] = c => ConvSpec.Read(c, 1),
        ["Conv2D"] = c => ConvSpec.Read(c, 2),
        ["Conv3D"] = c => ConvSpec.Read(c, 3),
        ["Convolution1D"] = c => ConvSpec.Read(c, 1),
        ["Convolution3D"] = c => ConvSpec.Read(c, 3),
        ["Conv1DTranspose"] = c => ConvTransposeSpec.Read(c, 1),
        ["Conv2DTranspose"] = c => ConvTransposeSpec.Read(c, 2),
        ["Conv3DTranspose"] = c => ConvTransposeSpec.Read(c, 3),
        ["Deconvolution2D"] = ConvTransposeSpec.ReadKeras1,
        ["Convolution2D"] = c => ConvSpec.Read(c, 2),
        ["AtrousConvolution1D"] = c => ConvSpec.Read(c, 1),
        ["AtrousConvolution2D"] = c => ConvSpec.Read(c, 2),
        ["DepthwiseConv2D"] = DepthwiseConv2DSpec.Read,
        ["SeparableConv1D"] = c => SeparableConvSpec.Read(c, 1),
        ["SeparableConv2D"] = c => SeparableConvSpec.Read(c, 2),
        ["SeparableConvolution2D"] = c => SeparableConvSpec.Read(c, 2),
        ["MaxPooling1D"] = c => PoolingSpec.Read(c, PoolKind.Max, 1),
        ["MaxPooling2D"] = c => PoolingSpec.Read(c, PoolKind.Max, 2),
        ["MaxPool1D"] = c => PoolingSpec.Read(c, PoolKind.Max, 1),
        ["MaxPool2D"] = c => PoolingSpec.Read(c, PoolKind.Max, 2),
        ["MaxPooling3D"] = c => PoolingSpec.Read(c, PoolKind.Max, 3),
        ["MaxPool3D"] = c => PoolingSpec.Read(c, PoolKind.Max, 3),
        ["AveragePooling3D"] = c => PoolingSpec.Read(c, PoolKind.Average, 3),
        ["AvgPool3D"] = c => PoolingSpec.Read(c, PoolKind.Average, 3),
        ["AveragePooling1D"] = c => PoolingSpec.Read(c, PoolKind.Average, 1),
        ["AveragePooling2D"] = c => PoolingSpec.Read(c, PoolKind.Average, 2),
        ["AvgPool1D"] = c => PoolingSpec.Read(c, PoolKind.Average, 1),
        ["AvgPool2D"] = c => PoolingSpec.Read(c, PoolKind.Average, 2),
        ["GlobalMaxPooling1D"] = c => GlobalPoolingSpec.Read(c, PoolKind.Max, 1),
        ["GlobalMaxPooling2D"] = c => GlobalPoolingSpec.Read(c, PoolKind.Max, 2),
        ["GlobalMaxPool1D"] = c => GlobalPoolingSpec.Read(c, PoolKind.Max, 1),
        ["GlobalMaxPool2D"] = c => GlobalPoolingSpec.Read(c, PoolKind.Max, 2),
        ["GlobalMaxPooling3D"] = c => GlobalPoolingSpec.Read(c, PoolKind.Max, 3),
        ["GlobalMaxPool3D"] = c => GlobalPoolingSpec.Read(c, PoolKind.Max, 3),
        ["GlobalAveragePooling3D"] = c => GlobalPoolingSpec.Read(c, PoolKind.Average, 3),
        ["GlobalAvgPool3D"] = c => GlobalPoolingSpec.Read(c, PoolKind.Average, 3),
        ["GlobalAveragePooling1D"] = c => GlobalPoolingSpec.Read(c, PoolKind.Average, 1),
        ["GlobalAveragePooling2D"] = c => GlobalPoolingSpec.Read(c, PoolKind.Average, 2),
        ["GlobalAvgPool1D"] = c => GlobalPoolingSpec.Read(c, PoolKind.Average, 1),
        ["GlobalAvgPool2D"] = c => GlobalPoolingSpec.Read(c, PoolKind.Average, 2),
        ["ZeroPadding1D"] = c => ZeroPaddingSpec.Read(c, 1),
        ["ZeroPadding2D"] = c => ZeroPaddingSpec.Read(c, 2),
        ["ZeroPadding3D"] = c => ZeroPaddingSpec.Read(c, 3),
        ["Cropping1D"] = c => CroppingSpec.Read(c, 1),
        ["Cropping2D"] = c => CroppingSpec.Read(c, 2),
        ["Cropping3D"] = c => CroppingSpec.Read(c, 3),
        ["UpSampling1D"] = c => UpSamplingSpec.Read(c, 1),
        ["UpSampling2D"] = c => UpSamplingSpec.Read(c, 2),
        ["UpSampling3D"] = c => UpSamplingSpec.Read(c, 3),
        ["BatchNormalization"] = BatchNormalizationSpec.Read,
        ["LayerNormalization"] = LayerNormalizationSpec.Read,
        ["GroupNormalization"] = GroupNormalizationSpec.Read,
        ["Normalization"] = NormalizationSpec.Read,
        ["Add"] = c => MergeSpec.Read(c, MergeOp.Add),
        ["Subtract"] = c => MergeSpec.Read(c, MergeOp.Subtract),
        ["Multiply"] = c => MergeSpec.Read(c, MergeOp.Multiply),
        ["Average"] = c => MergeSpec.Read(c, MergeOp.Average),
        ["Maximum"] = c => MergeSpec.Read(c, MergeOp.Maximum),
        ["Minimum"] = c => MergeSpec.Read(c, MergeOp.Minimum),
        ["Concatenate"] = c => MergeSpec.Read(c, MergeOp.Concatenate),
        ["Merge"] = MergeSpec.ReadKeras1Merge,
        ["Dot"] = DotSpec.Read,
        ["ReLU"] = ReLUSpec.Read,
        ["LeakyReLU"] = LeakyReLUSpec.Read,
        ["PReLU"] = PReLUSpec.Read,
        ["ELU"] = ELUSpec.Read,
        ["ThresholdedReLU"] = ThresholdedReLUSpec.Read,
        ["Softmax"] = SoftmaxSpec.Read,
        ["Embedding"] = EmbeddingSpec.Read,
        ["LSTM"] = LSTMSpec.Read,
        ["GRU"] = GRUSpec.Read,
        ["SimpleRNN"] = SimpleRNNSpec.Read,
        ["Bidirectional"] = BidirectionalSpec.Read,
        ["TimeDistributed"] = TimeDistributedSpec.Read,
        ["Attention"] = AttentionSpec.Read,
        ["Rescaling"] = RescalingSpec.Read,
        ["UnitNormalization"] = UnitNormalizationSpec.Read,
        ["Addons>InstanceNormalization"] = InstanceNormalizationSpec.Read,
        ["Addons>GroupNormalization"] = GroupNormalizationSpec.Read,
        ["Addons>WeightNormalization"] = WeightNormalizationSpec.Read,
        ["SpectralNormalization"] = SpectralNormalizationSpec.Read,
        ["Addons>SpectralNormalization"] = SpectralNormalizationSpec.Read,
        [BatchInstanceNormalizationSpec.KerasName] = BatchInstanceNormalizationSpec.Read,
        [SwitchableNormalizationSpec.KerasName] = SwitchableNormalizationSpec.Read,
        [OnlineNormalizationSpec.KerasName] = OnlineNormalizationSpec.Read,
        [CosineNormalizationSpec.KerasName] = CosineNormalizationSpec.Read,
    };

    /// <summary>Every registered Keras class name.</summary>
    public static IReadOnlyCollection<string> ClassNames => table.Keys;

    /// <summary>True when <paramref name="className"/> has a spec.</summary>
    public static bool IsKnown(string className) => table.ContainsKey(className);

    /// <summary>
    /// Reads <paramref name="node"/>'s config into its typed spec; an unknown class raises
    /// <see cref="UnsupportedFeatureException"/> naming the layer and class.
    /// </summary>
    public static LayerSpec Read(LayerNode node, KerasDialectKind dialect = KerasDialectKind.Keras2)
    {
        if (!table.TryGetValue(node.ClassName, out var read))
            throw new UnsupportedFeatureException(
                $"layer '{node.Name}': class '{node.ClassName}' is not supported (no layer spec is registered for it)", null, $"layers/{node.Name}");
        return read(new LayerConfig(node, dialect));
    }
}
