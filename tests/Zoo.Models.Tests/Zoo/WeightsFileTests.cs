using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.ModelZoo.Applications;

namespace Zoo.Models.Tests.ModelZoo;

/// <summary>Weight files in keras.applications' own layout (written here with save_weights' H5 layout) load into zoo models.</summary>
public sealed class WeightsFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("zoo-weights-").FullName;

    private static readonly SaveOptions WeightsOnly = new() { Format = KerasFormat.H5Weights };

    [Fact]
    public void A_VGG16_notop_weights_file_binds_fully_by_name_even_under_an_added_pooling_layer()
    {
        var trained = Vgg16.Build(new ApplicationOptions { IncludeTop = false, InputShape = [32, 32, 3], Seed = 7 });
        var path = Path.Combine(dir, "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5");
        KerasFile.Save(trained, path, WeightsOnly);

        var loaded = Vgg16.Build(new ApplicationOptions { IncludeTop = false, InputShape = [32, 32, 3], Pooling = Pooling.Avg, Weights = path });

        var expected = trained.Layers.Where(l => l.Weights.Count > 0).ToList();
        Assert.Equal(13, expected.Count);
        foreach (var layer in expected)
        {
            var mine = loaded.GetLayer(layer.Name);
            Assert.Equal(layer.Weights.Count, mine.Weights.Count);
            Assert.All(layer.Weights.Zip(mine.Weights), p => Assert.True(p.First.BitEquals(p.Second), $"{p.First.Name} differs"));
        }
        Assert.Equal(trained.ParameterCount(), loaded.ParameterCount());
    }

    [Fact]
    public void A_layer_stored_under_another_name_pairs_by_position_and_the_warning_names_both()
    {
        var path = SavedVgg16NoTop(rename: ("block4_conv2", "block4_conv2_renamed", null));
        var loaded = Vgg16.Build(new ApplicationOptions { IncludeTop = false, InputShape = [32, 32, 3], Weights = path });
        var trained = Vgg16.Build(new ApplicationOptions { IncludeTop = false, InputShape = [32, 32, 3] });
        Assert.All(trained.GetLayer("block4_conv2").Weights.Zip(loaded.GetLayer("block4_conv2").Weights), p => Assert.True(p.First.BitEquals(p.Second)));
        Assert.Contains(loaded.Warnings, w => w.Contains("paired by position") && w.Contains("block4_conv2 ← block4_conv2_renamed"));
    }

    [Fact]
    public void A_weights_file_missing_a_layer_fails_naming_it()
    {
        var graph = WeightsGraph(Vgg16.Build(new ApplicationOptions { IncludeTop = false, InputShape = [32, 32, 3] }));
        graph.Layers.Remove(graph.GetLayer("block4_conv2"));
        var path = Path.Combine(dir, "vgg16_without_block4_conv2.h5");
        KerasFile.Save(graph, path, WeightsOnly);
        var e = Assert.Throws<WeightMismatchException>(() => Vgg16.Build(new ApplicationOptions { IncludeTop = false, InputShape = [32, 32, 3], Weights = path }));
        Assert.Equal("block4_conv2", e.Layer);
    }

    [Fact]
    public void A_misnamed_weight_binds_by_position_as_Keras_does_and_the_warning_names_layer_and_weight()
    {
        var path = SavedVgg16NoTop(rename: ("block2_conv1", "block2_conv1", "kernal"));
        var loaded = Vgg16.Build(new ApplicationOptions { IncludeTop = false, InputShape = [32, 32, 3], Weights = path });
        var trained = Vgg16.Build(new ApplicationOptions { IncludeTop = false, InputShape = [32, 32, 3] });
        Assert.True(trained.GetLayer("block2_conv1").Weights[0].BitEquals(loaded.GetLayer("block2_conv1").Weights[0]));
        Assert.Equal("block2_conv1/kernel:0", loaded.GetLayer("block2_conv1").Weights[0].Name);
        var warning = Assert.Single(loaded.Warnings);
        Assert.Contains("match none of the layer's weight names", warning);
        Assert.Contains("block2_conv1: block2_conv1/kernal:0, block2_conv1/bias:0", warning);
    }

    [Fact]
    public void A_weight_whose_name_belongs_elsewhere_in_the_layer_is_not_bound_by_position()
    {
        // 'bias' stored first: the names contradict the positions, so nothing is guessed.
        var path = SavedVgg16NoTop(rename: ("block2_conv1", "block2_conv1", "bias"), keepSecondName: "kernal");
        var e = Assert.Throws<WeightMismatchException>(() => Vgg16.Build(new ApplicationOptions { IncludeTop = false, InputShape = [32, 32, 3], Weights = path }));
        Assert.Equal("block2_conv1", e.Layer);
        Assert.Contains("'block2_conv1/kernal:0'", e.Message);
    }

    [Fact]
    public void A_weights_file_for_another_input_size_fails_on_the_first_mis_shaped_weight()
    {
        var trained = Vgg16.Build(new ApplicationOptions { InputShape = [32, 32, 3], Classes = 10 });
        var path = Path.Combine(dir, "vgg16_32.h5");
        KerasFile.Save(trained, path, WeightsOnly);
        var e = Assert.Throws<WeightMismatchException>(() => Vgg16.Build(new ApplicationOptions { InputShape = [64, 64, 3], Classes = 10, Weights = path }));
        Assert.Equal("fc1", e.Layer);
    }

    private string SavedVgg16NoTop((string Layer, string NewLayer, string? NewWeight) rename, string? keepSecondName = null)
    {
        var graph = Vgg16.Build(new ApplicationOptions { IncludeTop = false, InputShape = [32, 32, 3] });
        var layer = graph.GetLayer(rename.Layer);
        string Renamed(WeightTensor w, int i) => (i, rename.NewWeight, keepSecondName) switch
        {
            (0, { } first, _) => $"{rename.NewLayer}/{first}:0",
            (1, _, { } second) => $"{rename.NewLayer}/{second}:0",
            _ => w.Name.Replace(rename.Layer + "/", rename.NewLayer + "/"),
        };
        var weights = layer.Weights.Select((w, i) => w.Rename(Renamed(w, i))).ToList();
        layer.Weights.Clear();
        layer.Weights.AddRange(weights);
        layer.Name = rename.NewLayer;
        var path = Path.Combine(dir, $"vgg16_{rename.NewLayer}_{rename.NewWeight}_{keepSecondName}.h5");
        KerasFile.Save(WeightsGraph(graph), path, WeightsOnly);
        return path;
    }

    /// <summary>The graph's layers and weights only, as a weights-only file holds them.</summary>
    private static ModelGraph WeightsGraph(ModelGraph g)
    {
        var w = new ModelGraph { Name = g.Name, HasArchitecture = false };
        foreach (var l in g.Layers)
        {
            var copy = new LayerNode(l.ClassName, l.Name);
            copy.Weights.AddRange(l.Weights);
            w.Layers.Add(copy);
        }
        w.Metadata.KerasVersion = "2.0.8";
        w.Metadata.Backend = "tensorflow";
        return w;
    }

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}
