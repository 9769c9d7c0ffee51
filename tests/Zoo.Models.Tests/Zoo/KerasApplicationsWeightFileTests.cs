using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Hdf5;
using Zoo.Formats.Tests.Support;
using Zoo.Models.ModelZoo;
using Zoo.Models.ModelZoo.Applications;
using Zoo.Models.ModelZoo.ImageNet;

namespace Zoo.Models.Tests.ModelZoo;

/// <summary>
/// Files in exactly the layouts keras.applications publishes its ImageNet weights in (layer and weight names, root
/// attributes, name lists as fixed-length strings, weightless layers listed with empty lists; docs/imagenet-weights.md),
/// written by h5py from a zoo model's own random arrays, bind onto the zoo model and predict bit for bit what the
/// model built from those arrays predicts. Small inputs keep it fast: only VGG's classifier depends on the input
/// size, and its file is written at the size it is built at.
/// </summary>
public sealed class KerasApplicationsWeightFileTests : IDisposable
{
    private readonly TempDir dir = new();

    public static TheoryData<string, bool> Published()
    {
        var data = new TheoryData<string, bool>();
        foreach (var model in new[] { "vgg16", "vgg19", "resnet50", "resnet101", "resnet152", "resnet50v2", "resnet101v2", "resnet152v2", "inceptionv3" })
            foreach (var top in new[] { false, true })
                data.Add(model, top);
        return data;
    }

    private static ApplicationOptions Options(string model, bool top)
        => new() { InputShape = model == "inceptionv3" ? [75, 75, 3] : [32, 32, 3], IncludeTop = top, Seed = 17 };

    /// <summary>The zoo model with random weights, and a file of Keras's layout for them under Keras's own file name.</summary>
    private (ModelGraph Source, string Path) Published(string model, bool top)
    {
        var entry = ZooCatalog.Get(model);
        var source = entry.Build(Options(model, top));
        var path = dir.File(ImageNetWeightFiles.For(source.Name, top).FileName);
        PublishedLayout.For(model).Write(source, path);
        return (source, path);
    }

    [SkippableTheory]
    [MemberData(nameof(Published))]
    public void A_file_in_the_published_layout_binds_onto_the_zoo_model_and_predicts_bit_for_bit(string model, bool top)
    {
        H5Py.Require();
        var (source, path) = Published(model, top);
        var loaded = ZooCatalog.Get(model).Build(Options(model, top) with { Weights = path, Seed = 0 });

        foreach (var layer in source.Layers.Where(l => l.Weights.Count > 0))
        {
            var mine = loaded.GetLayer(layer.Name).Weights;
            Assert.Equal(layer.Weights.Select(w => w.Name), mine.Select(w => w.Name));
            Assert.All(layer.Weights.Zip(mine), p => Assert.True(p.First.BitEquals(p.Second), $"{model}: {p.First.Name} differs"));
        }
        AssertSamePredictions(source, loaded, model);
        AssertReported(loaded.Warnings, source, model, top);
    }

    [SkippableTheory]
    [InlineData("vgg16", false)]
    [InlineData("resnet50", true)]
    [InlineData("inceptionv3", false)]
    public void A_file_in_the_published_layout_binds_onto_a_saved_architecture_as_Keras_load_weights_does(string model, bool top)
    {
        H5Py.Require();
        var (source, path) = Published(model, top);
        var architecture = dir.File($"{model}-{top}.json");
        KerasFile.Save(source, architecture);
        var loaded = KerasFile.Load(architecture, path, new LoadOptions { WeightBinding = ZooCatalog.Get(model).Binding });

        AssertSamePredictions(source, loaded, model);
        using var runtime = KerasModel.FromGraph(loaded);
        var positional = runtime.Binding.PositionalWeights;
        if (PublishedLayout.For(model) == PublishedLayout.Keras1)
            Assert.Equal(source.Layers.Count(l => l.Weights.Count > 0), positional.Count);
        else
            Assert.Empty(positional);
    }

    private static void AssertSamePredictions(ModelGraph source, ModelGraph loaded, string model)
    {
        var shape = Options(model, top: false).InputShape!;
        var x = Enumerable.Range(0, shape[0] * shape[1] * shape[2]).Select(i => (float)Math.Sin(i * 0.37)).ToArray();
        long[] batch = [1, shape[0], shape[1], shape[2]];
        using var built = KerasModel.FromGraph(source);
        using var bound = KerasModel.FromGraph(loaded);
        Assert.Equal(built.Predict(x, batch), bound.Predict(x, batch));
    }

    /// <summary>What the graph's warnings must say about what was bound by position, for each layout.</summary>
    private static void AssertReported(IReadOnlyList<string> warnings, ModelGraph source, string model, bool top)
    {
        int weighted = source.Layers.Count(l => l.Weights.Count > 0);
        var layout = PublishedLayout.For(model);
        if (layout == PublishedLayout.Keras1)
        {
            var warning = Assert.Single(warnings);
            Assert.Contains($"the weights of {weighted} layers were bound by position within the layer", warning);
            Assert.Contains("Keras 1-era names (block1_conv1: block1_conv1_W_1:0, block1_conv1_b_1:0,", warning);
        }
        else if (layout == PublishedLayout.Keras20)
            Assert.Contains($"{weighted - (top ? 1 : 0)} layers were paired by position with stored layers of other names (conv2d ← conv2d_1, batch_normalization ← batch_normalization_1,", Assert.Single(warnings));
        else if (top)
            Assert.Contains("1 layer was paired by position with stored layers of names the architecture lacks, as Keras's load_weights pairs the layers that carry weights in order (predictions ← probs)", Assert.Single(warnings));
        else
            Assert.Empty(warnings);
    }

    public void Dispose() => dir.Dispose();
}
