using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.ModelZoo;
using Zoo.Models.ModelZoo.Applications;

namespace Zoo.Models.Tests.ModelZoo;

/// <summary>Zoo models run on the runtime and survive every Keras format; small inputs keep them fast on a CPU.</summary>
public sealed class ForwardAndRoundTripTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("zoo-roundtrip-").FullName;

    public static IEnumerable<object[]> SmallModels() =>
    [
        ["lenet5", new[] { 32, 32, 1 }, true, 10, 10L],
        ["alexnet", new[] { 67, 67, 3 }, true, 10, 10L],
        ["vgg16", new[] { 32, 32, 3 }, false, 0, 512L],
        ["vgg19", new[] { 32, 32, 3 }, false, 0, 512L],
        ["resnet50", new[] { 64, 64, 3 }, true, 10, 10L],
        ["resnet50v2", new[] { 64, 64, 3 }, false, 0, 2048L],
        ["inceptionv3", new[] { 75, 75, 3 }, false, 0, 2048L],
    ];

    private static ModelGraph Build(string name, int[] shape, bool top, int classes)
    {
        var entry = ZooCatalog.Get(name);
        return entry.Build(new ApplicationOptions { InputShape = shape, IncludeTop = top, Classes = top ? classes : entry.DefaultClasses, Pooling = top ? Pooling.None : Pooling.Avg, Seed = 5 });
    }

    [Theory]
    [MemberData(nameof(SmallModels))]
    public void Each_zoo_model_runs_a_forward_pass_with_the_expected_output_shape(string name, int[] shape, bool top, int classes, long outputs)
    {
        var graph = Build(name, shape, top, classes);
        using var model = KerasModel.FromGraph(graph);
        var entry = ZooCatalog.Get(name);
        var pixels = Enumerable.Range(0, shape[0] * shape[1] * shape[2]).Select(i => (float)(i * 37 % 256)).ToArray();
        var y = model.Predict(entry.PreprocessInput(pixels), [1, shape[0], shape[1], shape[2]], out var outShape);
        Assert.Equal([1, outputs], outShape);
        Assert.All(y, v => Assert.True(float.IsFinite(v)));
        Assert.True(y.Distinct().Count() > 1, "a constant output means a dead network");
        Assert.True(model.Binding.Matched.Count == graph.AllWeights().Count(), "every created weight is bound by the runtime");
        if (top) Assert.Equal(1.0, y.Sum(), 4);
    }

    [Theory]
    [MemberData(nameof(SmallModels))]
    public void Each_zoo_model_round_trips_through_H5_and_keras_with_bit_identical_weights(string name, int[] shape, bool top, int classes, long outputs)
    {
        _ = outputs;
        var graph = Build(name, shape, top, classes);
        foreach (var file in new[] { "m.h5", "m.keras", "m.weights.h5" })
        {
            var path = Path.Combine(dir, $"{name}-{file}");
            KerasFile.Save(graph, path);
            var back = file == "m.weights.h5" ? KerasFile.Load(SaveArchitecture(graph, name), path) : KerasFile.Load(path);
            Assert.Equal(graph.Layers.Select(l => (l.Name, l.ClassName)), back.Layers.Select(l => (l.Name, l.ClassName)));
            foreach (var (a, b) in graph.Layers.Zip(back.Layers))
            {
                Assert.Equal(a.Weights.Count, b.Weights.Count);
                Assert.All(a.Weights.Zip(b.Weights), p =>
                {
                    Assert.Equal(p.First.Shape, p.Second.Shape);
                    Assert.True(p.First.Data.AsSpan().SequenceEqual(p.Second.Data), $"{file}: {p.First.Name} changed");
                });
                if (file == "m.h5") Assert.Equal(a.Weights.Select(w => w.Name), b.Weights.Select(w => w.Name));
            }
        }
    }

    [Fact]
    public void A_reloaded_LeNet5_predicts_exactly_what_the_built_one_does()
    {
        var graph = LeNet5.Build();
        var path = Path.Combine(dir, "lenet5.h5");
        KerasFile.Save(graph, path);
        var x = Enumerable.Range(0, 32 * 32).Select(i => (float)Math.Sin(i)).ToArray();
        using var built = KerasModel.FromGraph(graph);
        using var loaded = KerasModel.Load(path);
        Assert.Equal(built.Predict(x, [1, 32, 32, 1]), loaded.Predict(x, [1, 32, 32, 1]));
    }

    private string SaveArchitecture(ModelGraph graph, string name)
    {
        var path = Path.Combine(dir, $"{name}-arch.json");
        KerasFile.Save(graph, path);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}
