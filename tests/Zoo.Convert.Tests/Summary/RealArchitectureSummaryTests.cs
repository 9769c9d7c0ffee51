using Zoo.Formats.Summary;
using Zoo.Convert.Tests.Support;

namespace Zoo.Convert.Tests.Summary;

/// <summary>
/// Config-derived summaries of real keras.applications architectures against the parameter counts
/// Keras reports for them (DESIGN.md §2: VGG16 138,357,544; ResNet50 25,636,712; InceptionV3 23,851,784).
/// </summary>
public class RealArchitectureSummaryTests
{
    [SkippableFact]
    public void Vgg16_config_from_tf_keras_counts_138357544_parameters()
    {
        var s = ModelSummary.Of(ArchitectureFiles.Load("kotlindl/vgg16.json"));
        Assert.True(s.Complete);
        Assert.False(s.CountedFromWeights);
        Assert.Equal(138_357_544, s.Totals.Total);
        Assert.Equal("(None, 7, 7, 512)", s.Rows.Single(r => r.Name == "block5_pool").OutputShapeText);
        Assert.Equal("(None, 25088)", s.Rows.Single(r => r.Name == "flatten").OutputShapeText);
    }

    [SkippableFact]
    public void InceptionV3_config_counts_23851784_parameters_with_bn_statistics_non_trainable()
    {
        var s = ModelSummary.Of(ArchitectureFiles.Load("kotlindl/inception_v3.json"));
        Assert.True(s.Complete);
        Assert.Equal(23_851_784, s.Totals.Total);
        Assert.Equal(23_817_352, s.Totals.Trainable);
        Assert.Equal(34_432, s.Totals.NonTrainable);
        Assert.Equal("(None, 8, 8, 2048)", s.Rows.Single(r => r.Name == "mixed10").OutputShapeText);
    }

    [SkippableFact]
    public void ResNet50_written_by_keras1_counts_25636712_parameters_through_merge_layers()
    {
        var s = ModelSummary.Of(ArchitectureFiles.Load("keras-js/resnet50_keras1.json"));
        Assert.True(s.Complete);
        Assert.Equal(25_636_712, s.Totals.Total);
        Assert.Equal("(None, 1000)", s.OutputShapes.Single()!.ToString());
    }

    [SkippableFact]
    public void InceptionV3_written_by_keras1_infers_merge_concat_shapes_through_to_the_classifier()
    {
        var s = ModelSummary.Of(ArchitectureFiles.Load("keras-js/inception_v3_keras1.json"));
        Assert.True(s.Complete);
        Assert.Equal("(None, 35, 35, 256)", s.Rows.Single(r => r.Name == "mixed0").OutputShapeText);
        Assert.Equal("(None, 8, 8, 2048)", s.Rows.Single(r => r.Name == "mixed10").OutputShapeText);
        Assert.Equal("(None, 1, 1, 2048)", s.Rows.Single(r => r.Name == "avg_pool").OutputShapeText);
        Assert.Equal("(None, 1000)", s.OutputShapes.Single()!.ToString());
    }
}
