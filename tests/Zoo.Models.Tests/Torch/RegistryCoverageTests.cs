using System.Text.Json.Nodes;
using Xunit.Abstractions;
using Zoo.Formats.Layers;
using Zoo.Formats.Tests.Support;
using Zoo.Models.Tests.CrossCheck;
using Zoo.Models.Torch;

namespace Zoo.Models.Tests.Torch;

/// <summary>
/// The registries agree with each other, and every layer class Zoo runs is checked against something that is not Zoo:
/// a tfjs-layers cross-check case, a real Keras file that uses it, or (for what tfjs lacks) a named test that checks the
/// class against its documented formula.
/// </summary>
public class RegistryCoverageTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_registered_layer_spec_has_a_TorchSharp_lowering()
    {
        var missing = LayerSpecs.ClassNames.Where(c => !LayerLowerings.IsKnown(c)).OrderBy(c => c).ToList();
        Assert.True(missing.Count == 0, "specs without a lowering: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_lowering_belongs_to_a_registered_spec()
    {
        var orphans = LayerLowerings.ClassNames.Where(c => !LayerSpecs.IsKnown(c)).ToList();
        Assert.True(orphans.Count == 0, "lowerings without a spec: " + string.Join(", ", orphans));
    }

    /// <summary>Classes tfjs-layers cannot judge, with the test that checks each against its formula or Keras's outputs instead.</summary>
    private static readonly Dictionary<string, string> CheckedElsewhere = new(StringComparer.Ordinal)
    {
        ["ActivityRegularization"] = nameof(DropoutFamilyTests.Inference_is_the_identity),
        ["AlphaDropout"] = nameof(DropoutFamilyTests.Alpha_dropout_sets_dropped_units_by_Keras_formula_and_keeps_a_SELU_distribution),
        ["GaussianDropout"] = nameof(DropoutFamilyTests.Gaussian_dropout_multiplies_by_noise_of_mean_1_and_variance_rate_over_1_minus_rate),
        ["GaussianNoise"] = nameof(DropoutFamilyTests.Gaussian_noise_adds_zero_mean_noise_of_the_given_deviation),
        ["SpatialDropout1D"] = nameof(DropoutFamilyTests.Spatial_dropout_drops_whole_feature_maps),
        ["SpatialDropout2D"] = nameof(DropoutFamilyTests.Spatial_dropout_drops_whole_feature_maps),
        ["SpatialDropout3D"] = nameof(DropoutFamilyTests.Spatial_dropout_drops_whole_feature_maps),
        ["Addons>GroupNormalization"] = nameof(ClassAliasTests.Addons_group_normalization_computes_what_Keras_group_normalization_computes),
        ["AtrousConvolution1D"] = nameof(ClassAliasTests.A_Keras_1_convolution_computes_what_its_Keras_2_class_computes),
        ["AtrousConvolution2D"] = nameof(ClassAliasTests.A_Keras_1_convolution_computes_what_its_Keras_2_class_computes),
        ["Convolution1D"] = nameof(ClassAliasTests.A_Keras_1_convolution_computes_what_its_Keras_2_class_computes),
        ["Convolution2D"] = nameof(ClassAliasTests.A_Keras_1_convolution_computes_what_its_Keras_2_class_computes),
        ["Convolution3D"] = nameof(ClassAliasTests.A_Keras_1_convolution_computes_what_its_Keras_2_class_computes),
        ["SeparableConvolution2D"] = nameof(ClassAliasTests.Keras_1_separable_convolution_computes_what_SeparableConv2D_computes),
        ["Merge"] = nameof(ClassAliasTests.A_Keras_1_Merge_layer_computes_its_mode),
        ["GlobalAveragePooling3D"] = nameof(ClassAliasTests.Global_average_pooling_3D_is_the_mean_over_depth_height_and_width),
        ["GlobalMaxPooling3D"] = nameof(ClassAliasTests.Global_max_pooling_3D_is_the_maximum_over_depth_height_and_width),
        ["Conv3DTranspose"] = nameof(ClassAliasTests.Conv3DTranspose_with_a_depth_1_kernel_is_Conv2DTranspose_on_each_depth_slice),
        ["Conv1DTranspose"] = "TransposeAnd3DTests.Conv1DTranspose_matches_the_2D_reference_on_a_height_1_image",
        ["Conv2DTranspose"] = "TransposeAnd3DTests.Conv2DTranspose_matches_a_naive_scatter_with_TF_cropping",
        ["Deconvolution2D"] = "TransposeAnd3DTests.Keras1_Deconvolution2D_takes_its_output_size_from_output_shape",
        ["Conv3D"] = "TransposeAnd3DTests.Conv3D_matches_a_naive_TF_convolution",
        ["MaxPooling3D"] = "TransposeAnd3DTests.Pooling3D_matches_a_naive_TF_pool",
        ["AveragePooling3D"] = "TransposeAnd3DTests.Pooling3D_matches_a_naive_TF_pool",
        ["Cropping1D"] = "OneDimensionalLayerTests.ZeroPadding1D_Cropping1D_UpSampling1D_and_GlobalAveragePooling1D_work_on_the_time_axis",
        ["ZeroPadding1D"] = "OneDimensionalLayerTests.ZeroPadding1D_Cropping1D_UpSampling1D_and_GlobalAveragePooling1D_work_on_the_time_axis",
        ["UpSampling1D"] = "OneDimensionalLayerTests.ZeroPadding1D_Cropping1D_UpSampling1D_and_GlobalAveragePooling1D_work_on_the_time_axis",
        ["SeparableConv1D"] = "OneDimensionalLayerTests",
        ["Cropping3D"] = "Shape3DLayerTests",
        ["UpSampling3D"] = "Shape3DLayerTests",
        ["ZeroPadding3D"] = "Shape3DLayerTests",
        ["Attention"] = "AttentionAndScalingTests",
        ["Rescaling"] = "AttentionAndScalingTests",
        ["UnitNormalization"] = "AttentionAndScalingTests",
        ["Dot"] = "GroupNormNormalizationDotTests",
        ["GroupNormalization"] = "GroupNormNormalizationDotTests",
        ["Normalization"] = "GroupNormNormalizationDotTests",
        ["Masking"] = "MaskingTests",
        ["Subtract"] = "GraphExecutorTests.Functional_graph_with_two_inputs_and_two_outputs_returns_outputs_in_model_order",
        ["Addons>InstanceNormalization"] = "Normalization.InstanceNormalizationTests",
        ["SpectralNormalization"] = "Normalization.WeightAndSpectralNormalizationTests",
        ["Addons>SpectralNormalization"] = "Normalization.WeightAndSpectralNormalizationTests",
        ["Addons>WeightNormalization"] = "Normalization.WeightAndSpectralNormalizationTests",
        ["Zoo>BatchInstanceNormalization"] = "Normalization.ZooNormalizationForwardTests",
        ["Zoo>CosineNormalization"] = "Normalization.ZooNormalizationForwardTests",
        ["Zoo>OnlineNormalization"] = "Normalization.ZooNormalizationForwardTests",
        ["Zoo>SwitchableNormalization"] = "Normalization.ZooNormalizationForwardTests",
    };

    /// <summary>Keras's short aliases: checked when their class is (<see cref="ClassAliasTests.A_Keras_alias_computes_what_its_class_computes"/>).</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["MaxPool1D"] = "MaxPooling1D", ["MaxPool2D"] = "MaxPooling2D", ["MaxPool3D"] = "MaxPooling3D",
        ["AvgPool1D"] = "AveragePooling1D", ["AvgPool2D"] = "AveragePooling2D", ["AvgPool3D"] = "AveragePooling3D",
        ["GlobalAvgPool1D"] = "GlobalAveragePooling1D", ["GlobalAvgPool2D"] = "GlobalAveragePooling2D", ["GlobalAvgPool3D"] = "GlobalAveragePooling3D",
        ["GlobalMaxPool1D"] = "GlobalMaxPooling1D", ["GlobalMaxPool2D"] = "GlobalMaxPooling2D", ["GlobalMaxPool3D"] = "GlobalMaxPooling3D",
    };

    [Fact]
    public void Every_registered_layer_class_is_checked_against_an_independent_reference()
    {
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in CrossCheckSession.Cases.Values.Where(c => c.SkipBecause is null))
            Collect(JsonNode.Parse(c.ModelConfig), covered);
        if (Fixtures.KerasRealRoot is not null)
            foreach (var row in Fixtures.Manifest().Where(r => r.HasExpectedIo.StartsWith("yes", StringComparison.Ordinal)))
                foreach (var cls in row.LayerClasses.Split(',', StringSplitOptions.TrimEntries)) covered.Add(cls);
        bool Checked(string c) => covered.Contains(c) || CheckedElsewhere.ContainsKey(c);
        var unchecked_ = LayerSpecs.ClassNames.Where(c => !Checked(c) && !(Aliases.TryGetValue(c, out var of) && Checked(of)))
            .OrderBy(c => c, StringComparer.Ordinal).ToList();
        output.WriteLine($"cross-checked or in a real fixture with Keras's outputs: {covered.Count}; by formula: {CheckedElsewhere.Count}");
        Assert.True(unchecked_.Count == 0, "layer classes with no independent check: " + string.Join(", ", unchecked_));
    }

    private static void Collect(JsonNode? node, HashSet<string> into)
    {
        var pending = new Stack<JsonNode?>([node]);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case JsonObject o:
                    if (o["class_name"] is JsonValue v && v.TryGetValue(out string? cls)) into.Add(cls);
                    foreach (var (_, child) in o) pending.Push(child);
                    break;
                case JsonArray a:
                    foreach (var child in a) pending.Push(child);
                    break;
            }
        }
    }
}
