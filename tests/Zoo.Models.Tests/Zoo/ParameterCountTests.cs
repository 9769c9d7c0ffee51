using Zoo.Formats.Summary;
using Zoo.Models.ModelZoo;
using Zoo.Models.ModelZoo.Applications;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.Models.Tests.ModelZoo;

public class ParameterCountTests
{
    [Theory]
    [InlineData("vgg16", 138_357_544)]
    [InlineData("vgg19", 143_667_240)]
    [InlineData("resnet50", 25_636_712)]
    [InlineData("resnet101", 44_707_176)]
    [InlineData("resnet152", 60_419_944)]
    [InlineData("resnet50v2", 25_613_800)]
    [InlineData("resnet101v2", 44_675_560)]
    [InlineData("resnet152v2", 60_380_648)]
    [InlineData("inceptionv3", 23_851_784)]
    [InlineData("alexnet", 62_378_344)]
    [InlineData("lenet5", 61_706)]
    public void Each_zoo_model_has_the_published_parameter_count(string name, long expected)
        => Assert.Equal(expected, ZooCatalog.Get(name).DefaultParameterCount());

    [Fact]
    public void AlexNet_with_two_towers_has_the_papers_parameter_count()
    {
        var graph = AlexNet.Build(new ApplicationOptions { Fill = WeightFill.None }, twoTowers: true);
        Assert.Equal(60_965_224, ModelSummary.Of(graph).Totals.Total);
    }

    [Fact]
    public void Created_weights_have_the_shapes_the_configs_imply()
    {
        // Weights the builder made, counted element by element, against the count the summary infers from the configs alone.
        var graph = ResNet.ResNet50(new ApplicationOptions { InputShape = [64, 64, 3] });
        Assert.Equal(25_636_712, graph.ParameterCount());
        var noWeights = ResNet.ResNet50(new ApplicationOptions { InputShape = [64, 64, 3], Fill = WeightFill.None });
        Assert.Empty(noWeights.AllWeights());
        Assert.Equal(graph.ParameterCount(), ModelSummary.Of(noWeights).Totals.Total);
    }

    [Fact]
    public void InceptionV3_counts_its_non_trainable_batch_norm_statistics_as_Keras_does()
    {
        var totals = ModelSummary.Of(InceptionV3.Build(new ApplicationOptions { Fill = WeightFill.None })).Totals;
        Assert.Equal(23_817_352, totals.Trainable);
        Assert.Equal(34_432, totals.NonTrainable);
    }
}
