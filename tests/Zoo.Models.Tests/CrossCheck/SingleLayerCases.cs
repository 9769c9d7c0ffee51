using static Zoo.Models.Tests.CrossCheck.LayerCase;

namespace Zoo.Models.Tests.CrossCheck;

/// <summary>
/// Sequential cases of one or a few layers, each in the Keras 2 (tf.keras 2.15) config form with the
/// weights Keras creates for it. Left out, because tfjs-layers 4.22 cannot judge them: ReLU
/// <c>negative_slope</c>/<c>threshold</c> (tfjs ignores both), GRU <c>reset_after=true</c> (tfjs has
/// only the original form), ELU with alpha ≠ 1 and Softmax on a non-last axis (tfjs refuses both),
/// Conv1D <c>causal</c> padding (tfjs: "not implemented yet"), Subtract, ZeroPadding1D, Cropping1D,
/// UpSampling1D, SeparableConv1D, SpatialDropout2D, the <c>exponential</c> activation and global
/// pooling <c>keepdims</c> (tfjs has none of them), UpSampling2D <c>bilinear</c> (tfjs resizes
/// without Keras's half-pixel centres).
/// Those are checked against formulas in tests/Zoo.Models.Tests/Torch.
/// </summary>
internal static class SingleLayerCases
{
    private const string Conv2D = """{"kernel_size":[3,3],"strides":[1,1],"padding":"valid","data_format":"channels_last","dilation_rate":[1,1],"groups":1,"activation":"linear","use_bias":true}""";

    private const string Conv1D = """{"kernel_size":[3],"strides":[1],"padding":"valid","data_format":"channels_last","dilation_rate":[1],"groups":1,"activation":"linear","use_bias":true}""";


    private static Lyr Dense(string name, int units, string activation, long inputs)
        => new("Dense", name, $$"""{"units":{{units}},"activation":"{{activation}}","use_bias":true}""", new Wt("kernel", inputs, units), new Wt("bias", units));

    private static Lyr Conv(string name, int filters, long inC, int kh, int kw, string extra)
        => new("Conv2D", name, With(Conv2D, $"\"filters\":{filters},\"kernel_size\":[{kh},{kw}]{extra}"), new Wt("kernel", kh, kw, inC, filters), new Wt("bias", filters));

    private static Lyr Conv1(string name, int filters, long inC, int k, string extra)
        => new("Conv1D", name, With(Conv1D, $"\"filters\":{filters},\"kernel_size\":[{k}]{extra}"),
            new Wt("kernel", k, inC, filters), new Wt("bias", filters));

    private static Lyr Pool(string cls, string name, string json) => new(cls, name, json);

    private static Lyr Bn(string name, long c, string extra = "") => new("BatchNormalization", name,
        With("""{"axis":-1,"momentum":0.99,"epsilon":0.001,"center":true,"scale":true}""", extra),
        new Wt("gamma", c), new Wt("beta", c), new Wt("moving_mean", c), new Wt("moving_variance", c));

    private static LayerCase Act(string activation)
        => Seq("activation_" + activation, new long[] { 6, 4 }, new Lyr("Dense", "scale", """{"units":4,"activation":"linear","use_bias":true}""", new Wt("kernel", 4, 4), new Wt("bias", 4)),
            new Lyr("Activation", "act", $$"""{"activation":"{{activation}}"}""")) with { InputScale = 6 };

    /// <summary>Every single-layer case.</summary>
    public static IEnumerable<LayerCase> All()
    {
        // Dense and every activation tfjs implements as Keras 2 does (inputs scaled so clips and tails are reached).
        yield return Seq("dense_linear", new long[] { 5 }, Dense("dense", 3, "linear", 5));
        yield return Seq("dense_relu_then_softmax", new long[] { 5 }, Dense("d1", 6, "relu", 5), Dense("d2", 3, "softmax", 6));
        yield return Seq("dense_on_rank3_input", new long[] { 4, 5 }, Dense("dense", 3, "tanh", 5));
        foreach (var a in new[] { "relu", "sigmoid", "tanh", "softmax", "elu", "selu", "softplus", "softsign", "hard_sigmoid", "swish", "gelu", "relu6", "mish", "linear" })
            yield return Act(a);

        // Convolutions: TF "same" puts the odd padding cell at the bottom/right; dilation; channels_first.
        yield return Seq("conv2d_valid", new long[] { 6, 6, 3 }, Conv("conv", 4, 3, 3, 3, ""));
        yield return Seq("conv2d_same_stride2_even_input", new long[] { 8, 8, 3 }, Conv("conv", 4, 3, 3, 3, ""","padding":"same","strides":[2,2]"""));
        yield return Seq("conv2d_same_stride2_odd_input", new long[] { 7, 7, 2 }, Conv("conv", 3, 2, 3, 3, ""","padding":"same","strides":[2,2],"activation":"relu" """));
        yield return Seq("conv2d_same_dilation2", new long[] { 7, 6, 2 }, Conv("conv", 3, 2, 3, 3, ""","padding":"same","dilation_rate":[2,2]"""));
        yield return Seq("conv2d_rect_kernel_strides_2x1", new long[] { 7, 5, 2 }, Conv("conv", 3, 2, 2, 3, ""","strides":[2,1]"""));
        yield return Seq("conv2d_channels_first", new long[] { 2, 6, 5 }, new Lyr("Conv2D", "conv", With(Conv2D, "\"filters\":3,\"data_format\":\"channels_first\",\"padding\":\"same\""), new Wt("kernel", 3, 3, 2, 3), new Wt("bias", 3)));
        yield return Seq("conv1d_valid", new long[] { 9, 3 }, Conv1("conv", 4, 3, 3, ""));
        yield return Seq("conv1d_same_stride2", new long[] { 9, 3 }, Conv1("conv", 4, 3, 3, ""","padding":"same","strides":[2]"""));
        yield return Seq("conv1d_same_dilation2", new long[] { 9, 3 }, Conv1("conv", 2, 3, 3, ""","padding":"same","dilation_rate":[2]"""));
        yield return Seq("depthwise_conv2d_same_multiplier2", new long[] { 6, 6, 3 }, new Lyr("DepthwiseConv2D", "dw",
            """{"kernel_size":[3,3],"strides":[1,1],"padding":"same","data_format":"channels_last","dilation_rate":[1,1],"depth_multiplier":2,"activation":"linear","use_bias":true}""",
            new Wt("depthwise_kernel", 3, 3, 3, 2), new Wt("bias", 6)));
        yield return Seq("depthwise_conv2d_valid_stride2", new long[] { 7, 7, 2 }, new Lyr("DepthwiseConv2D", "dw",
            """{"kernel_size":[3,3],"strides":[2,2],"padding":"valid","data_format":"channels_last","dilation_rate":[1,1],"depth_multiplier":1,"activation":"relu","use_bias":true}""",
            new Wt("depthwise_kernel", 3, 3, 2, 1), new Wt("bias", 2)));
        yield return Seq("separable_conv2d_same_stride2_multiplier2", new long[] { 8, 8, 3 }, new Lyr("SeparableConv2D", "sep",
            """{"filters":4,"kernel_size":[3,3],"strides":[2,2],"padding":"same","data_format":"channels_last","dilation_rate":[1,1],"depth_multiplier":2,"activation":"linear","use_bias":true}""",
            new Wt("depthwise_kernel", 3, 3, 3, 2), new Wt("pointwise_kernel", 1, 1, 6, 4), new Wt("bias", 4)));

        // Pooling: "same" average excludes padded cells.
        yield return Seq("maxpool2d_valid", new long[] { 6, 6, 2 }, Pool("MaxPooling2D", "pool", """{"pool_size":[2,2],"strides":[2,2],"padding":"valid","data_format":"channels_last"}"""));
        yield return Seq("maxpool2d_same_3x3_stride2", new long[] { 7, 8, 2 }, Pool("MaxPooling2D", "pool", """{"pool_size":[3,3],"strides":[2,2],"padding":"same","data_format":"channels_last"}"""));
        yield return Seq("avgpool2d_same_3x3_stride2", new long[] { 7, 8, 2 }, Pool("AveragePooling2D", "pool", """{"pool_size":[3,3],"strides":[2,2],"padding":"same","data_format":"channels_last"}"""));
        yield return Seq("avgpool2d_valid", new long[] { 6, 5, 2 }, Pool("AveragePooling2D", "pool", """{"pool_size":[2,2],"strides":[1,2],"padding":"valid","data_format":"channels_last"}"""));
        yield return Seq("maxpool1d_valid", new long[] { 9, 3 }, Pool("MaxPooling1D", "pool", """{"pool_size":[2],"strides":[2],"padding":"valid","data_format":"channels_last"}"""));
        yield return Seq("maxpool1d_same_3_stride2", new long[] { 8, 3 }, Pool("MaxPooling1D", "pool", """{"pool_size":[3],"strides":[2],"padding":"same","data_format":"channels_last"}"""));
        yield return Seq("avgpool1d_same_3_stride2", new long[] { 8, 3 }, Pool("AveragePooling1D", "pool", """{"pool_size":[3],"strides":[2],"padding":"same","data_format":"channels_last"}"""));
        foreach (var g in new[] { "GlobalAveragePooling2D", "GlobalMaxPooling2D" })
            yield return Seq(g.ToLowerInvariant(), new long[] { 5, 4, 3 }, Pool(g, "gp", """{"data_format":"channels_last"}"""));
        foreach (var g in new[] { "GlobalAveragePooling1D", "GlobalMaxPooling1D" })
            yield return Seq(g.ToLowerInvariant(), new long[] { 6, 3 }, Pool(g, "gp", """{"data_format":"channels_last"}"""));

        // Normalization.
        yield return Seq("batchnorm_after_conv", new long[] { 5, 5, 2 }, Conv("conv", 3, 2, 3, 3, ""","padding":"same" """), Bn("bn", 3));
        yield return Seq("batchnorm_dense_eps_1e-5", new long[] { 6 }, Bn("bn", 6, ""","epsilon":1.001e-5"""));
        yield return Seq("batchnorm_no_center_no_scale", new long[] { 4, 3 }, new Lyr("BatchNormalization", "bn",
            """{"axis":-1,"momentum":0.99,"epsilon":0.001,"center":false,"scale":false}""", new Wt("moving_mean", 3), new Wt("moving_variance", 3)));
        yield return Seq("layernorm_last_axis", new long[] { 5, 6 }, new Lyr("LayerNormalization", "ln",
            """{"axis":[-1],"epsilon":0.001,"center":true,"scale":true}""", new Wt("gamma", 6), new Wt("beta", 6)));

        // Shape layers: Flatten after a conv must flatten H,W,C (not C,H,W).
        yield return Seq("flatten_after_conv_then_dense", new long[] { 4, 5, 2 }, Conv("conv", 3, 2, 2, 2, ""),
            new Lyr("Flatten", "flat", """{"data_format":"channels_last"}"""), Dense("dense", 4, "linear", 3 * 4 * 3));
        yield return Seq("reshape_then_permute", new long[] { 12 }, new Lyr("Reshape", "reshape", """{"target_shape":[3,4]}"""),
            new Lyr("Permute", "permute", """{"dims":[2,1]}"""));
        yield return Seq("permute_rank4", new long[] { 2, 3, 4 }, new Lyr("Permute", "permute", """{"dims":[3,1,2]}"""));
        yield return Seq("repeat_vector", new long[] { 4 }, new Lyr("RepeatVector", "rep", """{"n":3}"""));
        yield return Seq("zeropadding2d_asymmetric", new long[] { 3, 4, 2 }, new Lyr("ZeroPadding2D", "pad", """{"padding":[[1,2],[0,1]],"data_format":"channels_last"}"""));
        yield return Seq("cropping2d_asymmetric", new long[] { 6, 7, 2 }, new Lyr("Cropping2D", "crop", """{"cropping":[[1,0],[2,1]],"data_format":"channels_last"}"""));
        yield return Seq("upsampling2d_nearest_2x3", new long[] { 3, 2, 2 }, new Lyr("UpSampling2D", "up", """{"size":[2,3],"data_format":"channels_last","interpolation":"nearest"}"""));
        yield return Seq("dropout_is_identity_at_inference", new long[] { 5 }, new Lyr("Dropout", "drop", """{"rate":0.5,"noise_shape":null,"seed":null}"""), Dense("dense", 2, "linear", 5));

        // Activation layers (ReLU only with max_value: tfjs ignores negative_slope and threshold).
        yield return Seq("leaky_relu_alpha_0.2", new long[] { 7 }, new Lyr("LeakyReLU", "lrelu", """{"alpha":0.2}"""));
        yield return Seq("prelu_unshared", new long[] { 3, 4 }, new Lyr("PReLU", "prelu", """{"shared_axes":null}""", new Wt("alpha", 3, 4)));
        yield return Seq("prelu_shared_spatial_axes", new long[] { 3, 4, 2 }, new Lyr("PReLU", "prelu", """{"shared_axes":[1,2]}""", new Wt("alpha", 1, 1, 2)));
        yield return Seq("elu_alpha_1", new long[] { 7 }, new Lyr("ELU", "elu", """{"alpha":1.0}""")) with { InputScale = 3 };
        yield return Seq("relu_max_value_0.5", new long[] { 7 }, new Lyr("ReLU", "relu", """{"max_value":0.5,"negative_slope":0.0,"threshold":0.0}"""));
        yield return Seq("thresholded_relu_theta_0.3", new long[] { 7 }, new Lyr("ThresholdedReLU", "trelu", """{"theta":0.3}"""));
        yield return Seq("softmax_last_axis_of_rank3", new long[] { 3, 4 }, new Lyr("Softmax", "softmax", """{"axis":-1}""")) with { InputScale = 4 };

        // Embedding: integer indices fed as float32, as Keras casts them.
        yield return Seq("embedding", new long[] { 6 }, 10, 1e-5f, new Lyr("Embedding", "emb",
            """{"input_dim":10,"output_dim":4,"mask_zero":false,"input_length":6}""", new Wt("embeddings", 10, 4)));
    }
}
