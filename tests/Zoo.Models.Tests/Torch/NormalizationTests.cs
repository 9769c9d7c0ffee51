using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Torch;

public class NormalizationTests
{
    [Theory]
    [InlineData(1e-3)]
    [InlineData(1.001e-5)]
    public void BatchNormalization_uses_the_moving_statistics_and_the_config_epsilon(double eps)
    {
        float[] gamma = { 2, 0.5f }, beta = { 1, -1 }, mean = { 0.5f, -2 }, var = { 0.01f, 4 };
        var layer = G.Layer("BatchNormalization", "bn", $"{{\"axis\": -1, \"epsilon\": {eps}, \"batch_input_shape\": [null,2,2]}}",
            WeightTensor.FromFloat32("bn/gamma:0", new long[] { 2 }, gamma), WeightTensor.FromFloat32("bn/beta:0", new long[] { 2 }, beta),
            WeightTensor.FromFloat32("bn/moving_mean:0", new long[] { 2 }, mean), WeightTensor.FromFloat32("bn/moving_variance:0", new long[] { 2 }, var));
        var x = G.Rand(4, 41, 3);
        var y = G.Run(G.Sequential(layer), x, new long[] { 1, 2, 2 }, out _);
        var expected = x.Select((v, i) => { int c = i % 2; return (float)(gamma[c] * (v - mean[c]) / Math.Sqrt(var[c] + eps) + beta[c]); }).ToArray();
        G.Close(expected, y, 1e-5f);
    }

    [Fact]
    public void BatchNormalization_without_scale_and_center_expects_only_the_moving_statistics()
    {
        var layer = G.Layer("BatchNormalization", "bn", "{\"scale\": false, \"center\": false, \"epsilon\": 0.0, \"batch_input_shape\": [null,1]}",
            WeightTensor.FromFloat32("bn/moving_mean:0", new long[] { 1 }, new float[] { 1 }), WeightTensor.FromFloat32("bn/moving_variance:0", new long[] { 1 }, new float[] { 4 }));
        Assert.Equal(new float[] { 1.5f }, G.Run(G.Sequential(layer), new float[] { 4 }, new long[] { 1, 1 }, out _));
    }

    [Fact]
    public void Keras1_BatchNormalization_running_std_is_the_variance()
    {
        var layer = G.Layer("BatchNormalization", "bn", "{\"mode\": 0, \"epsilon\": 0.0, \"axis\": -1, \"batch_input_shape\": [null,1]}",
            WeightTensor.FromFloat32("bn_gamma", new long[] { 1 }, new float[] { 1 }), WeightTensor.FromFloat32("bn_beta", new long[] { 1 }, new float[] { 0 }),
            WeightTensor.FromFloat32("bn_running_mean", new long[] { 1 }, new float[] { 0 }), WeightTensor.FromFloat32("bn_running_std", new long[] { 1 }, new float[] { 4 }));
        var g = G.Sequential(layer);
        g.Metadata.Dialect = KerasDialectKind.Keras1;
        Assert.Equal(new float[] { 1 }, G.Run(g, new float[] { 2 }, new long[] { 1, 1 }, out _));
    }

    [Fact]
    public void LayerNormalization_normalizes_the_last_axis_with_biased_variance()
    {
        var layer = G.Layer("LayerNormalization", "ln", "{\"axis\": -1, \"epsilon\": 0.001, \"batch_input_shape\": [null,4]}",
            WeightTensor.FromFloat32("ln/gamma:0", new long[] { 4 }, new float[] { 1, 2, 1, 1 }), WeightTensor.FromFloat32("ln/beta:0", new long[] { 4 }, new float[] { 0, 0, 0, 1 }));
        var x = new float[] { 1, 2, 3, 6 };
        double m = 3, v = (4 + 1 + 0 + 9) / 4.0, d = Math.Sqrt(v + 0.001);
        var expected = new[] { (float)((1 - m) / d), (float)(2 * (2 - m) / d), (float)((3 - m) / d), (float)((6 - m) / d + 1) };
        G.Close(expected, G.Run(G.Sequential(layer), x, new long[] { 1, 4 }, out _));
    }
}
