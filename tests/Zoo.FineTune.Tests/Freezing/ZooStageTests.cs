using Zoo.FineTune.Freezing;
using Zoo.Models.ModelZoo.Applications;

namespace Zoo.FineTune.Tests.Freezing;

/// <summary>The Medium policy's default cut on the zoo's keras.applications models lands where Keras names the last stage.</summary>
public class ZooStageTests
{
    [Fact]
    public void Resnet50_medium_trains_exactly_the_conv5_stage_and_the_head()
    {
        var graph = ResNet.ResNet50(new ApplicationOptions { InputShape = new[] { 64, 64, 3 }, Classes = 4 });
        var (_, report) = Freezer.Prepare(graph, new FineTuneOptions { Policy = FreezePolicy.Medium, AllowRandomBase = true });
        var trainable = report.TrainableLayers.Where(n => n is not "avg_pool" and not "predictions").ToArray();
        Assert.NotEmpty(trainable);
        Assert.All(trainable, n => Assert.StartsWith("conv5_", n, StringComparison.Ordinal));
        Assert.Contains("conv5_block1_0_conv", trainable);
        Assert.Contains("conv4_block6_out", report.FrozenLayers);
        Assert.Contains("predictions", report.TrainableLayers);
    }

    [Fact]
    public void Vgg16_stages_are_its_five_blocks_with_each_pool_closing_its_block()
    {
        var graph = Vgg16.Build(new ApplicationOptions { IncludeTop = false, InputShape = new[] { 32, 32, 3 } });
        var parts = ModelParts.Of(graph);
        var leaves = parts.BaseLeaves();
        var stages = parts.Stages(graph);
        for (int i = 0; i < leaves.Count; i++)
            Assert.Equal($"block{stages[i]}_", leaves[i].Path[..7]);
    }

    [Fact]
    public void Lenet5_medium_with_two_stages_trains_the_second_convolution_and_the_dense_head()
    {
        var graph = LeNet5.Build(new ApplicationOptions { Classes = 10 });
        var (_, report) = Freezer.Prepare(graph, new FineTuneOptions { Policy = FreezePolicy.Medium, AllowRandomBase = true });
        Assert.Equal(new[] { "conv2d_1", "average_pooling2d_1", "flatten", "dense", "dense_1", "dense_2" }, report.TrainableLayers);
    }

    [Fact]
    public void InceptionV3_medium_freezes_the_first_249_layers_and_trains_the_top_two_inception_blocks_as_Keras_guide_does()
    {
        // keras.io's fine-tuning guide: "we will freeze the first 249 layers and unfreeze the rest" (model.layers[:249],
        // the InputLayer included), which are exactly the layers up to and including mixed8.
        var graph = InceptionV3.Build(new ApplicationOptions { IncludeTop = false, InputShape = [75, 75, 3], Pooling = Pooling.Avg, Seed = 1 });
        var (prepared, report) = Freezer.Prepare(graph, new FineTuneOptions { Policy = FreezePolicy.Medium, NewHeadClasses = 3, AllowRandomBase = true });

        Assert.Equal("mixed8", graph.Layers[248].Name);
        for (int i = 1; i < graph.Layers.Count; i++)
        {
            var layer = prepared.GetLayer(graph.Layers[i].Name);
            Assert.True(layer.Trainable == i >= 249, $"layer {i} ('{layer.Name}') trainable={layer.Trainable}");
        }
        Assert.Contains("the last 2 train", report.ToString());
    }
}
