using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;
using Zoo.Models.ModelZoo.Applications;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.Models.Tests.ModelZoo;

/// <summary>Our generated configs against configs keras.applications itself wrote (fixtures in ../shared).</summary>
public class KerasApplicationsTopologyTests
{
    private static readonly ApplicationOptions ArchitectureOnly = new() { Fill = WeightFill.None };

    [SkippableFact]
    public void VGG16_matches_the_keras_applications_config_layer_by_layer()
    {
        var theirs = KerasFile.Load(Fixtures.Path("kotlindl/vgg16.json"));
        var ours = Vgg16.Build(ArchitectureOnly);
        Assert.Empty(TopologyComparison.Differences(ours, theirs));
        Assert.Equal(theirs.Name, ours.Name);
    }

    [SkippableFact]
    public void InceptionV3_matches_the_keras_applications_config_in_order_names_and_shapes()
    {
        // The fixture came from a session that had built 4 convolutions before (its first is conv2d_4), so
        // automatic names are compared renumbered; their order is Keras's depth order in both.
        var theirs = KerasFile.Load(Fixtures.Path("kotlindl/inception_v3.json"));
        var ours = InceptionV3.Build(ArchitectureOnly);
        Assert.Equal(313, ours.Layers.Count);
        Assert.Empty(TopologyComparison.Differences(ours, theirs));
    }

    [SkippableFact]
    public void InceptionV3_without_top_matches_the_model_nested_in_a_tf_keras_2_9_tfjs_file()
    {
        var outer = KerasFile.Load(Fixtures.Path("tfjs-inceptionv3-boneage/model.json"));
        var theirs = outer.Layers.Single(l => l.Nested is not null).Nested!;
        var ours = InceptionV3.Build(ArchitectureOnly with { IncludeTop = false, InputShape = [224, 224, 3] });
        Assert.Equal(311, ours.Layers.Count);
        Assert.Empty(TopologyComparison.Differences(ours, theirs));
    }

    [SkippableFact]
    public void The_comparison_reports_a_changed_head_and_a_changed_stride()
    {
        var theirs = KerasFile.Load(Fixtures.Path("kotlindl/vgg16.json"));
        var ours = Vgg16.Build(ArchitectureOnly with { Classes = 10 });
        ours.GetLayer("block3_conv2").Config["strides"] = new System.Text.Json.Nodes.JsonArray(2, 2);
        var diffs = TopologyComparison.Differences(ours, theirs);
        Assert.Contains(diffs, d => d.Contains("predictions") && d.Contains("units 10 vs 1000"));
        Assert.Contains(diffs, d => d.Contains("block3_conv2") && d.Contains("strides"));
    }

    [SkippableFact]
    public void Our_own_names_are_Keras_automatic_names_from_a_fresh_session()
    {
        Fixtures.Require();
        var ours = InceptionV3.Build(ArchitectureOnly);
        Assert.Equal(["input_1", "conv2d", "batch_normalization", "activation", "conv2d_1"], ours.Layers.Take(5).Select(l => l.Name));
        Assert.Equal(94, ours.Layers.Count(l => l.ClassName == "Conv2D"));
        Assert.Contains(ours.Layers, l => l.Name == "conv2d_93");
        Assert.Equal(["mixed9_0", "mixed9_1", "concatenate", "concatenate_1"],
            ours.Layers.Where(l => l.Name.StartsWith("mixed9_") || l.Name.StartsWith("concatenate")).Select(l => l.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray()
                .OrderBy(n => n.StartsWith("concat")).ToArray());
    }
}
