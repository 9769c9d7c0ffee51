using System.Text.Json.Nodes;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.Models.Tests.Torch;

/// <summary>
/// The Dropout family and the noise layers in a training call, against Keras's definitions: what is drawn, its
/// statistics, and that inference is the identity. Every draw comes from the call's generator.
/// </summary>
public class DropoutFamilyTests
{
    private static LoweredLayer Layer(string cls, string config)
    {
        var layer = LayerLowerings.Create(LayerSpecs.Read(new LayerNode(cls, "d", (JsonObject)JsonNode.Parse(config)!)));
        layer.Build([[1, 1]]);
        return layer;
    }

    private static float[] Train(LoweredLayer layer, Tensor x, ulong seed = 7)
    {
        using var g = new Generator(seed);
        return layer.Forward([x], [null], new CallContext(true, true, g)).Outputs[0].data<float>().ToArray();
    }

    [Theory]
    [InlineData("Dropout", "{\"rate\": 0.3}")]
    [InlineData("SpatialDropout1D", "{\"rate\": 0.3}")]
    [InlineData("SpatialDropout2D", "{\"rate\": 0.3}")]
    [InlineData("GaussianNoise", "{\"stddev\": 0.5}")]
    [InlineData("GaussianDropout", "{\"rate\": 0.3}")]
    [InlineData("AlphaDropout", "{\"rate\": 0.3}")]
    [InlineData("ActivityRegularization", "{\"l1\": 0.1}")]
    public void Inference_is_the_identity(string cls, string config)
    {
        using var x = randn(2, 4, 4, 3);
        var y = Layer(cls, config).Forward([x], [null], CallContext.Inference).Outputs[0];
        Assert.Equal(x.data<float>().ToArray(), y.data<float>().ToArray());
    }

    [Fact]
    public void Dropout_keeps_units_with_probability_1_minus_rate_scaled_by_its_inverse()
    {
        using var x = ones(200, 100);
        var y = Train(Layer("Dropout", "{\"rate\": 0.25}"), x);
        Assert.All(y, v => Assert.True(v == 0f || Math.Abs(v - 1 / 0.75f) < 1e-6, $"{v}"));
        Assert.InRange(y.Count(v => v == 0) / (double)y.Length, 0.23, 0.27);
    }

    [Fact]
    public void Dropout_with_a_noise_shape_draws_once_per_noise_cell()
    {
        using var x = ones(4, 5, 6);
        var y = Train(Layer("Dropout", "{\"rate\": 0.5, \"noise_shape\": [null, 1, 6]}"), x);
        // The same decision for every step of a sample and channel.
        for (int n = 0; n < 4; n++)
            for (int c = 0; c < 6; c++)
                Assert.Single(Enumerable.Range(0, 5).Select(t => y[(n * 5 + t) * 6 + c]).Distinct());
    }

    [Theory]
    [InlineData("SpatialDropout1D", "{\"rate\": 0.5}", new long[] { 8, 5, 6 })]
    [InlineData("SpatialDropout2D", "{\"rate\": 0.5}", new long[] { 8, 3, 3, 6 })]
    [InlineData("SpatialDropout3D", "{\"rate\": 0.5}", new long[] { 8, 2, 2, 2, 6 })]
    public void Spatial_dropout_drops_whole_feature_maps(string cls, string config, long[] shape)
    {
        using var x = ones(shape);
        var y = Train(Layer(cls, config), x);
        long channels = shape[^1], perSample = y.Length / shape[0];
        var maps = Enumerable.Range(0, (int)shape[0]).SelectMany(n => Enumerable.Range(0, (int)channels)
            .Select(c => Enumerable.Range(0, (int)(perSample / channels)).Select(p => y[n * perSample + p * channels + c]).Distinct().ToArray())).ToList();
        Assert.All(maps, m => Assert.Single(m));
        Assert.Contains(maps, m => m[0] == 0f);
        Assert.Contains(maps, m => m[0] == 2f);
    }

    [Fact]
    public void Spatial_dropout_2D_channels_first_drops_along_axis_1()
    {
        using var x = ones(8, 6, 3, 3);
        var y = Train(Layer("SpatialDropout2D", "{\"rate\": 0.5, \"data_format\": \"channels_first\"}"), x);
        for (int n = 0; n < 8; n++)
            for (int c = 0; c < 6; c++)
                Assert.Single(Enumerable.Range(0, 9).Select(p => y[(n * 6 + c) * 9 + p]).Distinct());
    }

    [Fact]
    public void Gaussian_noise_adds_zero_mean_noise_of_the_given_deviation()
    {
        using var x = full(new long[] { 400, 100 }, 3f);
        var y = Train(Layer("GaussianNoise", "{\"stddev\": 0.5}"), x);
        double mean = y.Average(), sd = Math.Sqrt(y.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, 2.98, 3.02);
        Assert.InRange(sd, 0.49, 0.51);
    }

    [Fact]
    public void Gaussian_dropout_multiplies_by_noise_of_mean_1_and_variance_rate_over_1_minus_rate()
    {
        using var x = full(new long[] { 400, 100 }, 2f);
        var y = Train(Layer("GaussianDropout", "{\"rate\": 0.2}"), x);
        double mean = y.Average(), sd = Math.Sqrt(y.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, 1.98, 2.02);
        Assert.InRange(sd, 2 * Math.Sqrt(0.25) * 0.98, 2 * Math.Sqrt(0.25) * 1.02);
    }

    [Fact]
    public void Alpha_dropout_sets_dropped_units_by_Keras_formula_and_keeps_a_SELU_distribution()
    {
        // Keras: x·keep + α′(1 − keep), then a·x + b with α′ = −λα, a = ((1 − rate)(1 + rate·α′²))^−½, b = −a·α′·rate.
        double alphaP = -1.6732632423543772 * 1.0507009873554805, rate = 0.2;
        double a = Math.Pow((1 - rate) * (1 + rate * alphaP * alphaP), -0.5), b = -a * alphaP * rate;
        using var x = full(new long[] { 100, 100 }, 0.5f);
        var y = Train(Layer("AlphaDropout", "{\"rate\": 0.2}"), x);
        var kept = (float)(a * 0.5 + b);
        var dropped = (float)(a * alphaP + b);
        Assert.All(y, v => Assert.True(Math.Abs(v - kept) < 1e-5 || Math.Abs(v - dropped) < 1e-5, $"{v}"));
        Assert.InRange(y.Count(v => Math.Abs(v - dropped) < 1e-5) / (double)y.Length, 0.18, 0.22);
        // On standard-normal inputs the output keeps mean 0 and variance 1.
        using var z = randn(200, 200);
        var w = Train(Layer("AlphaDropout", "{\"rate\": 0.2}"), z, seed: 11);
        double mean = w.Average(), variance = w.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, -0.03, 0.03);
        Assert.InRange(variance, 0.95, 1.05);
    }

    [Fact]
    public void The_same_generator_seed_draws_the_same_mask()
    {
        using var x = ones(10, 10);
        var layer = Layer("Dropout", "{\"rate\": 0.5}");
        Assert.Equal(Train(layer, x, seed: 3), Train(layer, x, seed: 3));
        Assert.NotEqual(Train(layer, x, seed: 3), Train(layer, x, seed: 4));
    }
}
