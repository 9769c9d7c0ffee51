using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Torch;

public class DenseAndActivationTests
{
    [Fact]
    public void Dense_is_x_times_kernel_plus_bias_with_the_kernel_in_Keras_layout()
    {
        var k = G.W("d", "kernel", new long[] { 4, 3 }, 31);
        var b = G.W("d", "bias", new long[] { 3 }, 32);
        var x = G.Rand(2 * 4, 33);
        var y = G.Run(G.Sequential(G.Layer("Dense", "d", "{\"units\": 3, \"batch_input_shape\": [null,4]}", k, b)), x, new long[] { 2, 4 }, out _);
        G.Close(Naive.Dense(x, 2, 4, k.ToFloat32(), 3, b.ToFloat32()), y);
    }

    [Fact]
    public void Keras1_Dense_with_output_dim_and_W_b_names_binds_and_runs()
    {
        var k = WeightTensor.FromFloat32("dense_1_W", new long[] { 2, 2 }, new float[] { 1, 2, 3, 4 });
        var b = WeightTensor.FromFloat32("dense_1_b", new long[] { 2 }, new float[] { 10, 20 });
        var g = G.Sequential(G.Layer("Dense", "dense_1", "{\"output_dim\": 2, \"input_dim\": 2, \"bias\": true, \"activation\": \"linear\"}", k, b));
        g.Metadata.Dialect = KerasDialectKind.Keras1;
        var y = G.Run(g, new float[] { 1, 1 }, new long[] { 1, 2 }, out _);
        Assert.Equal(new float[] { 14, 26 }, y);
    }

    [Theory]
    [InlineData("relu", -2.0, 0.0)]
    [InlineData("relu6", 7.0, 6.0)]
    [InlineData("sigmoid", 0.5, 0.6224593312)]
    [InlineData("tanh", 0.5, 0.4621171573)]
    [InlineData("softplus", 0.5, 0.9740769842)]
    [InlineData("softsign", 3.0, 0.75)]
    [InlineData("elu", -1.0, -0.6321205588)]
    [InlineData("selu", -1.0, -1.1113307378)]
    [InlineData("exponential", 1.0, 2.7182818285)]
    [InlineData("swish", 1.0, 0.7310585786)]
    [InlineData("silu", 1.0, 0.7310585786)]
    [InlineData("gelu", 1.0, 0.8413447461)]
    [InlineData("mish", 1.0, 0.8650983883)]
    [InlineData("hard_silu", 1.0, 0.6666666667)]
    [InlineData("leaky_relu", -1.0, -0.2)]
    [InlineData("linear", -3.5, -3.5)]
    public void Activation_matches_its_Keras_formula(string name, double x, double expected)
    {
        var y = G.Run(G.Sequential(G.Layer("Activation", "a", $"{{\"activation\": \"{name}\", \"batch_input_shape\": [null,1]}}")),
            new[] { (float)x }, new long[] { 1, 1 }, out _);
        Assert.True(Math.Abs(y[0] - expected) < 1e-6, $"{name}({x}) = {y[0]}, expected {expected}");
    }

    [Theory]
    [InlineData(KerasDialectKind.Keras2, 1.0, 0.7)]          // 0.2·x + 0.5
    [InlineData(KerasDialectKind.Keras3, 1.0, 0.6666666667)] // relu6(x + 3)/6
    [InlineData(KerasDialectKind.Keras2, -3.0, 0.0)]
    [InlineData(KerasDialectKind.Keras3, -2.0, 0.1666666667)]
    public void Hard_sigmoid_follows_the_dialect_that_wrote_the_model(KerasDialectKind dialect, double x, double expected)
    {
        var g = G.Sequential(G.Layer("Activation", "a", "{\"activation\": \"hard_sigmoid\", \"batch_input_shape\": [null,1]}"));
        g.Metadata.Dialect = dialect;
        var y = G.Run(g, new[] { (float)x }, new long[] { 1, 1 }, out _);
        Assert.True(Math.Abs(y[0] - expected) < 1e-6, $"{y[0]} vs {expected}");
    }

    [Fact]
    public void Softmax_activation_normalizes_the_last_axis()
    {
        var y = G.Run(G.Sequential(G.Layer("Activation", "a", "{\"activation\": \"softmax\", \"batch_input_shape\": [null,2,3]}")),
            new float[] { 1, 2, 3, 0, 0, 0 }, new long[] { 1, 2, 3 }, out _);
        double z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        G.Close(new[] { (float)(Math.Exp(1) / z), (float)(Math.Exp(2) / z), (float)(Math.Exp(3) / z), 1 / 3f, 1 / 3f, 1 / 3f }, y);
    }

    [Fact]
    public void Keras3_serialized_activation_object_is_understood()
    {
        var g = G.Sequential(G.Layer("Dense", "d", "{\"units\": 1, \"use_bias\": false, \"activation\": {\"module\": \"keras.activations\", \"class_name\": \"function\", \"config\": \"relu\", \"registered_name\": \"function\"}, \"batch_shape\": [null,1]}",
            WeightTensor.FromFloat32("kernel", new long[] { 1, 1 }, new float[] { 1 })));
        g.Metadata.Dialect = KerasDialectKind.Keras3;
        Assert.Equal(new float[] { 0, 2 }, G.Run(g, new float[] { -1, 2 }, new long[] { 2, 1 }, out _));
    }

    [Theory]
    [InlineData("{\"max_value\": 6.0}", new float[] { -1, 3, 8 }, new float[] { 0, 3, 6 })]
    [InlineData("{\"negative_slope\": 0.1}", new float[] { -2, 3 }, new float[] { -0.2f, 3 })]
    [InlineData("{\"threshold\": 1.0}", new float[] { 0.5f, 2 }, new float[] { 0, 2 })]
    [InlineData("{\"threshold\": 1.0, \"negative_slope\": 0.5, \"max_value\": 4.0}", new float[] { 0, 2, 9 }, new float[] { -0.5f, 2, 4 })]
    public void ReLU_layer_honours_max_value_negative_slope_and_threshold(string cfg, float[] x, float[] expected)
    {
        var c = G.Cfg(cfg); c["batch_input_shape"] = new System.Text.Json.Nodes.JsonArray(null, x.Length);
        var y = G.Run(G.Sequential(G.Layer("ReLU", "r", c.ToJsonString())), x, new long[] { 1, x.Length }, out _);
        G.Close(expected, y);
    }

    [Fact]
    public void LeakyReLU_ELU_ThresholdedReLU_and_PReLU_follow_their_formulas()
    {
        var x = new float[] { -2, -0.5f, 0.5f, 2 };
        long[] s = { 1, 4 };
        G.Close(new[] { -0.6f, -0.15f, 0.5f, 2 }, G.Run(G.Sequential(G.Layer("LeakyReLU", "l", "{\"batch_input_shape\": [null,4]}")), x, s, out _));
        G.Close(x.Select(v => v > 0 ? v : (float)(0.5 * (Math.Exp(v) - 1))).ToArray(),
            G.Run(G.Sequential(G.Layer("ELU", "e", "{\"alpha\": 0.5, \"batch_input_shape\": [null,4]}")), x, s, out _));
        G.Close(new float[] { 0, 0, 0, 2 }, G.Run(G.Sequential(G.Layer("ThresholdedReLU", "t", "{\"theta\": 1.0, \"batch_input_shape\": [null,4]}")), x, s, out _));
        var alpha = WeightTensor.FromFloat32("p/alpha:0", new long[] { 4 }, new float[] { 0.1f, 0.2f, 0.3f, 0.4f });
        G.Close(new[] { -0.2f, -0.1f, 0.5f, 2 }, G.Run(G.Sequential(G.Layer("PReLU", "p", "{\"batch_input_shape\": [null,4]}", alpha)), x, s, out _));
    }
}
