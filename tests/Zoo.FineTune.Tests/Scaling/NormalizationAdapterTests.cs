using Zoo.FineTune.Scaling;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models;

namespace Zoo.FineTune.Tests.Scaling;

public class NormalizationAdapterTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("zoo-adapt").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private ModelGraph Model(string axis, string inputShape)
    {
        var path = Path.Combine(dir, "m.json");
        File.WriteAllText(path, "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"seq\", \"layers\": [{\"class_name\": \"Normalization\", "
            + $"\"config\": {{\"name\": \"norm\", \"axis\": {axis}, \"batch_input_shape\": [null, {inputShape}], \"dtype\": \"float32\"}}}}]}}, \"keras_version\": \"2.11.0\", \"backend\": \"tensorflow\"}}");
        return KerasFile.Load(path);
    }

    [Fact]
    public void Axis_none_reproduces_the_keras_documentation_example()
    {
        // Keras's docstring: adapt on [1, 2, 3, 4, 5] with axis=None, then [1, 2, 3] → [-1.4142135, -0.70710677, 0].
        var graph = Model("null", "1");
        var stats = NormalizationAdapter.Adapt(graph, "norm", new float[] { 1, 2, 3, 4, 5 }, new long[] { 5, 1 });
        Assert.Equal(3.0, stats.Mean.Single(), 12);
        Assert.Equal(2.0, stats.Variance.Single(), 12);
        Assert.Equal(5, stats.Count);
        using var model = KerasModel.FromGraph(graph);
        var y = model.Predict(new float[] { 1, 2, 3 }, new long[] { 3, 1 });
        Assert.Equal(new[] { -1.4142135f, -0.70710677f, 0f }, y, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Last_axis_keeps_one_mean_and_variance_per_feature()
    {
        // Keras's second docstring example: per-feature statistics, the first row maps to [-1, -1, -1].
        var graph = Model("-1", "3");
        var data = new float[] { 0, 7, 4, 2, 9, 6, 0, 7, 4, 2, 9, 6 };
        var stats = NormalizationAdapter.Adapt(graph, "norm", data, new long[] { 4, 3 });
        Assert.Equal(new[] { 1.0, 8.0, 5.0 }, stats.Mean);
        Assert.Equal(new[] { 1.0, 1.0, 1.0 }, stats.Variance);
        Assert.Equal(4, stats.Count);
        using var model = KerasModel.FromGraph(graph);
        Assert.Equal(new[] { -1f, -1f, -1f }, model.Predict(new float[] { 0, 7, 4 }, new long[] { 1, 3 }));
    }

    [Fact]
    public void Image_channels_reduce_over_batch_height_and_width()
    {
        var graph = Model("-1", "2, 2, 2");
        // Channel 0 holds 0..7, channel 1 holds 10 × that.
        var data = Enumerable.Range(0, 8).SelectMany(i => new float[] { i, 10 * i }).ToArray();
        var stats = NormalizationAdapter.Adapt(graph, "norm", data, new long[] { 2, 2, 2, 2 });
        Assert.Equal(new[] { 3.5, 35.0 }, stats.Mean);
        Assert.Equal(5.25, stats.Variance[0], 12);   // population variance of 0..7
        Assert.Equal(525.0, stats.Variance[1], 9);
        Assert.Equal(8, stats.Count);
    }

    [Theory]
    [InlineData("m.h5")]
    [InlineData("m.keras")]
    public void An_adapted_layer_saves_its_statistics_as_keras_weights_and_reloads(string file)
    {
        var graph = Model("-1", "3");
        NormalizationAdapter.Adapt(graph, "norm", new float[] { 1, 2, 3, 3, 6, 9 }, new long[] { 2, 3 });
        var path = Path.Combine(dir, file);
        KerasFile.Save(graph, path);
        var back = KerasFile.Load(path);
        var weights = back.Layers.Single(l => l.Name == "norm").Weights;
        Assert.Equal(new[] { "mean", "variance", "count" }, weights.Select(w => w.ShortName.Split(':')[0]));
        Assert.Equal(DType.Int64, weights[2].DType);
        Assert.Equal(2L, BitConverter.ToInt64(weights[2].Data));
        using var a = KerasModel.FromGraph(graph);
        using var b = KerasModel.FromGraph(back);
        var x = new float[] { 2, 4, 6 };
        Assert.Equal(a.Predict(x, new long[] { 1, 3 }), b.Predict(x, new long[] { 1, 3 }));
    }

    [Fact]
    public void Adapting_a_layer_that_is_not_there_or_not_a_normalization_names_it()
    {
        var graph = Model("-1", "3");
        var missing = Assert.Throws<ModelFormatException>(() => NormalizationAdapter.Adapt(graph, "nope", new float[3], new long[] { 1, 3 }));
        Assert.Contains("'nope'", missing.Message);
        graph.Layers[0].Config["mean"] = 1.0;
        graph.Layers[0].Config["variance"] = 1.0;
        var fixedStats = Assert.Throws<ModelFormatException>(() => NormalizationAdapter.Adapt(graph, "norm", new float[3], new long[] { 1, 3 }));
        Assert.Contains("fixed in its config", fixedStats.Message);
    }
}
