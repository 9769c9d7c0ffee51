using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Torch;

/// <summary>
/// Classes that are another class under a second name compute exactly what that class computes: Keras's short aliases
/// (MaxPool2D for MaxPooling2D, …), TF-Addons' GroupNormalization, and Keras 1's convolutions read in the Keras 1
/// dialect (Convolution2D with nb_filter/nb_row/nb_col, AtrousConvolution2D with atrous_rate, …) against their Keras 2
/// names with the same weights. The canonical classes are checked against tfjs-layers or naive loops elsewhere.
/// </summary>
public class ClassAliasTests
{
    private static float[] Run(LayerNode layer, long[] shape, KerasDialectKind dialect = KerasDialectKind.Keras2)
    {
        var g = G.Sequential(layer);
        g.SetDialect(dialect);
        return G.Run(g, G.Rand((int)shape.Aggregate(1L, (a, b) => a * b), 71), shape, out _);
    }

    [Theory]
    [InlineData("MaxPool1D", "MaxPooling1D", "{\"pool_size\": 2, \"batch_input_shape\": [null,6,3]}", new long[] { 2, 6, 3 })]
    [InlineData("MaxPool2D", "MaxPooling2D", "{\"pool_size\": [2,2], \"batch_input_shape\": [null,6,6,3]}", new long[] { 2, 6, 6, 3 })]
    [InlineData("MaxPool3D", "MaxPooling3D", "{\"pool_size\": [2,2,2], \"batch_input_shape\": [null,4,4,4,2]}", new long[] { 2, 4, 4, 4, 2 })]
    [InlineData("AvgPool1D", "AveragePooling1D", "{\"pool_size\": 2, \"padding\": \"same\", \"batch_input_shape\": [null,5,3]}", new long[] { 2, 5, 3 })]
    [InlineData("AvgPool2D", "AveragePooling2D", "{\"pool_size\": [2,2], \"batch_input_shape\": [null,6,6,3]}", new long[] { 2, 6, 6, 3 })]
    [InlineData("AvgPool3D", "AveragePooling3D", "{\"pool_size\": [2,2,2], \"batch_input_shape\": [null,4,4,4,2]}", new long[] { 2, 4, 4, 4, 2 })]
    [InlineData("GlobalAvgPool1D", "GlobalAveragePooling1D", "{\"batch_input_shape\": [null,5,3]}", new long[] { 2, 5, 3 })]
    [InlineData("GlobalAvgPool2D", "GlobalAveragePooling2D", "{\"batch_input_shape\": [null,4,4,3]}", new long[] { 2, 4, 4, 3 })]
    [InlineData("GlobalAvgPool3D", "GlobalAveragePooling3D", "{\"batch_input_shape\": [null,3,3,3,2]}", new long[] { 2, 3, 3, 3, 2 })]
    [InlineData("GlobalMaxPool1D", "GlobalMaxPooling1D", "{\"batch_input_shape\": [null,5,3]}", new long[] { 2, 5, 3 })]
    [InlineData("GlobalMaxPool2D", "GlobalMaxPooling2D", "{\"batch_input_shape\": [null,4,4,3]}", new long[] { 2, 4, 4, 3 })]
    [InlineData("GlobalMaxPool3D", "GlobalMaxPooling3D", "{\"batch_input_shape\": [null,3,3,3,2]}", new long[] { 2, 3, 3, 3, 2 })]
    public void A_Keras_alias_computes_what_its_class_computes(string alias, string canonical, string config, long[] shape)
        => Assert.Equal(Run(G.Layer(canonical, "p", config), shape), Run(G.Layer(alias, "p", config), shape));

    [Fact]
    public void Global_max_pooling_3D_is_the_maximum_over_depth_height_and_width()
    {
        long[] shape = [2, 3, 3, 3, 2];
        var x = G.Rand(108, 71);
        var y = G.Run(G.Sequential(G.Layer("GlobalMaxPooling3D", "p", "{\"batch_input_shape\": [null,3,3,3,2]}")), x, shape, out _);
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 2; c++)
                Assert.Equal(Enumerable.Range(0, 27).Max(p => x[(n * 27 + p) * 2 + c]), y[n * 2 + c]);
    }

    [Fact]
    public void Addons_group_normalization_computes_what_Keras_group_normalization_computes()
    {
        long[] shape = [2, 4, 4, 6];
        string config = "{\"groups\": 3, \"axis\": -1, \"epsilon\": 0.001, \"batch_input_shape\": [null,4,4,6]}";
        LayerNode Layer(string cls) => G.Layer(cls, "gn", config, G.W("gn", "gamma", [6], 3), G.W("gn", "beta", [6], 4));
        Assert.Equal(Run(Layer("GroupNormalization"), shape), Run(Layer("Addons>GroupNormalization"), shape));
    }

    public static TheoryData<string, string, string, string, long[], long[]> Keras1Convolutions => new()
    {
        { "Convolution1D", "{\"nb_filter\": 4, \"filter_length\": 3, \"border_mode\": \"same\", \"subsample_length\": 1, \"batch_input_shape\": [null,7,3]}",
          "Conv1D", "{\"filters\": 4, \"kernel_size\": 3, \"padding\": \"same\", \"batch_input_shape\": [null,7,3]}", [3, 3, 4], [2, 7, 3] },
        { "AtrousConvolution1D", "{\"nb_filter\": 4, \"filter_length\": 3, \"atrous_rate\": 2, \"border_mode\": \"valid\", \"batch_input_shape\": [null,9,3]}",
          "Conv1D", "{\"filters\": 4, \"kernel_size\": 3, \"dilation_rate\": 2, \"padding\": \"valid\", \"batch_input_shape\": [null,9,3]}", [3, 3, 4], [2, 9, 3] },
        { "Convolution2D", "{\"nb_filter\": 4, \"nb_row\": 3, \"nb_col\": 2, \"border_mode\": \"same\", \"subsample\": [2,1], \"dim_ordering\": \"tf\", \"batch_input_shape\": [null,6,5,3]}",
          "Conv2D", "{\"filters\": 4, \"kernel_size\": [3,2], \"padding\": \"same\", \"strides\": [2,1], \"batch_input_shape\": [null,6,5,3]}", [3, 2, 3, 4], [2, 6, 5, 3] },
        { "AtrousConvolution2D", "{\"nb_filter\": 4, \"nb_row\": 3, \"nb_col\": 3, \"atrous_rate\": [2,2], \"border_mode\": \"valid\", \"dim_ordering\": \"tf\", \"batch_input_shape\": [null,8,8,3]}",
          "Conv2D", "{\"filters\": 4, \"kernel_size\": [3,3], \"dilation_rate\": [2,2], \"padding\": \"valid\", \"batch_input_shape\": [null,8,8,3]}", [3, 3, 3, 4], [2, 8, 8, 3] },
        { "Convolution3D", "{\"nb_filter\": 2, \"kernel_dim1\": 2, \"kernel_dim2\": 2, \"kernel_dim3\": 2, \"border_mode\": \"valid\", \"subsample\": [1,1,1], \"dim_ordering\": \"tf\", \"batch_input_shape\": [null,4,4,4,3]}",
          "Conv3D", "{\"filters\": 2, \"kernel_size\": [2,2,2], \"padding\": \"valid\", \"batch_input_shape\": [null,4,4,4,3]}", [2, 2, 2, 3, 2], [2, 4, 4, 4, 3] },
    };

    [Theory]
    [MemberData(nameof(Keras1Convolutions))]
    public void A_Keras_1_convolution_computes_what_its_Keras_2_class_computes(string k1, string k1Config, string k2, string k2Config, long[] kernel, long[] shape)
    {
        var w = G.W("c", "kernel", kernel, 5);
        var b = G.W("c", "bias", [kernel[^1]], 6);
        var keras1 = G.Layer(k1, "c", k1Config, w.Rename("c_W"), b.Rename("c_b"));
        var keras2 = G.Layer(k2, "c", k2Config, w, b);
        G.Close(Run(keras2, shape), Run(keras1, shape, KerasDialectKind.Keras1), 1e-6f);
    }

    [Fact]
    public void Keras_1_separable_convolution_computes_what_SeparableConv2D_computes()
    {
        long[] shape = [2, 6, 6, 3];
        var depthwise = G.W("s", "depthwise_kernel", [3, 3, 3, 2], 8);
        var pointwise = G.W("s", "pointwise_kernel", [1, 1, 6, 4], 9);
        var bias = G.W("s", "bias", [4], 10);
        var keras1 = G.Layer("SeparableConvolution2D", "s", "{\"nb_filter\": 4, \"nb_row\": 3, \"nb_col\": 3, \"depth_multiplier\": 2, \"border_mode\": \"same\", \"dim_ordering\": \"tf\", \"batch_input_shape\": [null,6,6,3]}",
            depthwise.Rename("s_depthwise_kernel"), pointwise.Rename("s_pointwise_kernel"), bias.Rename("s_b"));
        var keras2 = G.Layer("SeparableConv2D", "s", "{\"filters\": 4, \"kernel_size\": [3,3], \"depth_multiplier\": 2, \"padding\": \"same\", \"batch_input_shape\": [null,6,6,3]}",
            depthwise, pointwise, bias);
        G.Close(Run(keras2, shape), Run(keras1, shape, KerasDialectKind.Keras1), 1e-6f);
    }

    [Fact]
    public void Global_average_pooling_3D_is_the_mean_over_depth_height_and_width()
    {
        long[] shape = [2, 3, 3, 3, 2];
        var x = G.Rand(108, 72);
        var y = G.Run(G.Sequential(G.Layer("GlobalAveragePooling3D", "p", "{\"batch_input_shape\": [null,3,3,3,2]}")), x, shape, out _);
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 2; c++)
                Assert.Equal(Enumerable.Range(0, 27).Average(p => x[(n * 27 + p) * 2 + c]), y[n * 2 + c], 5);
    }

    [Theory]
    [InlineData("same", 2)]
    [InlineData("valid", 1)]
    public void Conv3DTranspose_with_a_depth_1_kernel_is_Conv2DTranspose_on_each_depth_slice(string padding, int stride)
    {
        long d = 3, h = 4, w = 4, c = 2, f = 3;
        var kernel3 = G.W("t", "kernel", [1, 3, 3, f, c], 12);
        var bias = G.W("t", "bias", [f], 13);
        var x = G.Rand((int)(2 * d * h * w * c), 14);
        var y3 = G.Run(G.Sequential(G.Layer("Conv3DTranspose", "t", $"{{\"filters\": {f}, \"kernel_size\": [1,3,3], \"strides\": [1,{stride},{stride}], \"padding\": \"{padding}\", \"batch_input_shape\": [null,{d},{h},{w},{c}]}}", kernel3, bias)),
            x, [2, d, h, w, c], out var shape3);
        var kernel2 = WeightTensor.FromFloat32("t/kernel:0", [3, 3, f, c], kernel3.ToFloat32());
        int per = (int)(h * w * c);
        for (int n = 0; n < 2; n++)
            for (int z = 0; z < d; z++)
            {
                var slice = x.AsSpan((int)((n * d + z) * per), per).ToArray();
                var y2 = G.Run(G.Sequential(G.Layer("Conv2DTranspose", "t", $"{{\"filters\": {f}, \"kernel_size\": [3,3], \"strides\": [{stride},{stride}], \"padding\": \"{padding}\", \"batch_input_shape\": [null,{h},{w},{c}]}}", kernel2, bias)),
                    slice, [1, h, w, c], out var shape2);
                int outPer = (int)(shape2[1] * shape2[2] * shape2[3]);
                G.Close(y2, y3.AsSpan((int)((n * shape3[1] + z) * outPer), outPer).ToArray(), 1e-5f);
            }
    }

    [Theory]
    [InlineData("sum", new float[] { 4, 6 })]
    [InlineData("mul", new float[] { 3, 8 })]
    [InlineData("ave", new float[] { 2, 3 })]
    [InlineData("max", new float[] { 3, 4 })]
    [InlineData("concat", new float[] { 1, 2, 3, 4 })]
    public void A_Keras_1_Merge_layer_computes_its_mode(string mode, float[] expected)
    {
        var g = new ModelGraph { Name = "merge" };
        g.Layers.Add(G.Input("a", null, 2));
        g.Layers.Add(G.Input("b", null, 2));
        g.Layers.Add(G.Layer("Merge", "m", $"{{\"mode\": \"{mode}\", \"concat_axis\": -1}}").Calls(new TensorRef("a"), new TensorRef("b")));
        g.Inputs.AddRange([new TensorRef("a"), new TensorRef("b")]);
        g.Outputs.Add(new TensorRef("m"));
        g.SetDialect(KerasDialectKind.Keras1);
        using var m = KerasModel.FromGraph(g);
        using var a = TorchSharp.torch.tensor(new float[] { 1, 2 }, new long[] { 1, 2 });
        using var b = TorchSharp.torch.tensor(new float[] { 3, 4 }, new long[] { 1, 2 });
        Assert.Equal(expected, m.Predict(a, b)[0].data<float>().ToArray());
    }
}
