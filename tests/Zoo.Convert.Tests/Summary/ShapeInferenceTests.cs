using Zoo.Formats.Summary;
using static Zoo.Convert.Tests.Support.Graphs;

namespace Zoo.Convert.Tests.Summary;

public class ShapeInferenceTests
{
    private static string Shape(string input, string cls, string config)
        => ModelSummary.Of(Sequential(input, Layer(cls, "x", config))).Rows.Single().OutputShapeText;

    [Theory]
    [InlineData("[null, 7, 7, 3]", "Conv2D", """{"filters": 8, "kernel_size": [3, 3], "strides": [2, 2], "padding": "same"}""", "(None, 4, 4, 8)")]
    [InlineData("[null, 28, 28, 1]", "Conv2D", """{"filters": 32, "kernel_size": 3}""", "(None, 26, 26, 32)")]
    [InlineData("[null, 3, 28, 28]", "Conv2D", """{"filters": 32, "kernel_size": [3, 3], "data_format": "channels_first"}""", "(None, 32, 26, 26)")]
    [InlineData("[null, 32, 32, 3]", "Conv2D", """{"filters": 4, "kernel_size": [3, 3], "dilation_rate": [2, 2]}""", "(None, 28, 28, 4)")]
    [InlineData("[null, 147, 147, 64]", "MaxPooling2D", """{"pool_size": [3, 3], "strides": [2, 2], "padding": "valid"}""", "(None, 73, 73, 64)")]
    [InlineData("[null, 147, 147, 64]", "MaxPooling2D", """{"pool_size": [3, 3], "strides": [2, 2], "padding": "same"}""", "(None, 74, 74, 64)")]
    [InlineData("[null, 10, 4]", "MaxPooling1D", """{"pool_size": 2, "strides": null}""", "(None, 5, 4)")]
    [InlineData("[null, 64, 8, 8]", "AveragePooling2D", """{"pool_size": [2, 2], "data_format": "channels_first"}""", "(None, 64, 4, 4)")]
    [InlineData("[null, 4, 4, 6]", "Conv2DTranspose", """{"filters": 2, "kernel_size": [3, 3], "strides": [2, 2], "padding": "same"}""", "(None, 8, 8, 2)")]
    [InlineData("[null, 4, 4, 6]", "Conv2DTranspose", """{"filters": 2, "kernel_size": [3, 3], "strides": [2, 2], "padding": "valid"}""", "(None, 9, 9, 2)")]
    [InlineData("[null, 10, 10, 3]", "DepthwiseConv2D", """{"kernel_size": [3, 3], "depth_multiplier": 2}""", "(None, 8, 8, 6)")]
    [InlineData("[null, 20, 5]", "Conv1D", """{"filters": 7, "kernel_size": [3], "padding": "causal"}""", "(None, 20, 7)")]
    [InlineData("[null, 6, 6, 6, 1]", "Conv3D", """{"filters": 2, "kernel_size": [3, 3, 3]}""", "(None, 4, 4, 4, 2)")]
    [InlineData("[null, 8, 8, 3]", "GlobalAveragePooling2D", """{}""", "(None, 3)")]
    [InlineData("[null, 8, 8, 3]", "GlobalMaxPooling2D", """{"keepdims": true}""", "(None, 1, 1, 3)")]
    [InlineData("[null, 3, 8, 8]", "GlobalAveragePooling2D", """{"data_format": "channels_first"}""", "(None, 3)")]
    [InlineData("[null, 5, 5, 2]", "ZeroPadding2D", """{"padding": [[1, 2], [3, 4]]}""", "(None, 8, 12, 2)")]
    [InlineData("[null, 5, 5, 2]", "ZeroPadding2D", """{"padding": [1, 1]}""", "(None, 7, 7, 2)")]
    [InlineData("[null, 10, 10, 2]", "Cropping2D", """{"cropping": [[1, 1], [2, 0]]}""", "(None, 8, 8, 2)")]
    [InlineData("[null, 4, 4, 2]", "UpSampling2D", """{"size": [2, 3]}""", "(None, 8, 12, 2)")]
    [InlineData("[null, 4, 4, 2]", "Flatten", """{}""", "(None, 32)")]
    [InlineData("[null, 12]", "Reshape", """{"target_shape": [3, -1]}""", "(None, 3, 4)")]
    [InlineData("[null, 2, 3, 4]", "Permute", """{"dims": [3, 1, 2]}""", "(None, 4, 2, 3)")]
    [InlineData("[null, 16]", "RepeatVector", """{"n": 5}""", "(None, 5, 16)")]
    [InlineData("[null, 16]", "Dropout", """{"rate": 0.5}""", "(None, 16)")]
    [InlineData("[null, 16]", "Activation", """{"activation": "relu"}""", "(None, 16)")]
    [InlineData("[null, 10]", "Embedding", """{"input_dim": 100, "output_dim": 8}""", "(None, 10, 8)")]
    [InlineData("[null, 5, 3]", "LSTM", """{"units": 4, "return_sequences": true}""", "(None, 5, 4)")]
    [InlineData("[null, 5, 3]", "GRU", """{"units": 4}""", "(None, 4)")]
    [InlineData("[null, 5, 3]", "LSTM", """{"units": 4, "return_state": true}""", "[(None, 4), (None, 4), (None, 4)]")]
    [InlineData("[null, 5, 3]", "Bidirectional", """{"layer": {"class_name": "LSTM", "config": {"units": 4, "return_sequences": true}}}""", "(None, 5, 8)")]
    [InlineData("[null, 5, 3]", "Bidirectional", """{"merge_mode": "sum", "layer": {"class_name": "GRU", "config": {"units": 4}}}""", "(None, 4)")]
    [InlineData("[null, 5, 3]", "Bidirectional", """{"merge_mode": null, "layer": {"class_name": "GRU", "config": {"units": 4}}}""", "[(None, 4), (None, 4)]")]
    [InlineData("[null, 5, 3]", "TimeDistributed", """{"layer": {"class_name": "Dense", "config": {"units": 7}}}""", "(None, 5, 7)")]
    [InlineData("[null, 5, 8, 8, 1]", "TimeDistributed", """{"layer": {"class_name": "Conv2D", "config": {"filters": 2, "kernel_size": [3, 3]}}}""", "(None, 5, 6, 6, 2)")]
    [InlineData("[null, 28, 28, 1]", "Convolution2D", """{"nb_filter": 32, "nb_row": 3, "nb_col": 3, "border_mode": "same", "subsample": [2, 2], "dim_ordering": "tf"}""", "(None, 14, 14, 32)")]
    [InlineData("[null, 1, 28, 28]", "Convolution2D", """{"nb_filter": 32, "nb_row": 5, "nb_col": 5, "border_mode": "valid", "dim_ordering": "th"}""", "(None, 32, 24, 24)")]
    [InlineData("[null, 10, 4]", "MaxPooling1D", """{"pool_length": 2, "stride": null, "border_mode": "valid"}""", "(None, 5, 4)")]
    [InlineData("[null, 16]", "Dense", """{"output_dim": 3}""", "(None, 3)")]
    [InlineData("[null, 16]", "MyCustomLayer", """{"anything": 1}""", "?")]
    [InlineData("[null, 16]", "Conv2D", """{"filters": 4, "kernel_size": [3, 3]}""", "?")]
    [InlineData("[null, 16]", "Dense", """{"units": "not a number"}""", "?")]
    public void Layer_output_shape_matches_keras(string input, string cls, string config, string expected)
        => Assert.Equal(expected, Shape(input, cls, config));

    [Fact]
    public void An_unknown_layer_makes_later_shapes_unknown_without_failing()
    {
        var s = ModelSummary.Of(Sequential("[null, 4]", Layer("Mystery", "m"), Layer("Dense", "d", """{"units": 2}""")));
        Assert.Equal(["?", "?"], s.Rows.Select(r => r.OutputShapeText));
        Assert.False(s.Complete);
    }

    [Fact]
    public void Keras3_batch_shape_and_dtype_policy_objects_are_read()
    {
        var g = new Zoo.Formats.Ir.ModelGraph { ClassName = "Sequential" };
        g.Layers.Add(Layer("InputLayer", "in", """{"batch_shape": [null, 6], "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}}}"""));
        g.Layers.Add(Layer("Dense", "d", """{"units": 3, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}}}"""));
        var s = ModelSummary.Of(g);
        Assert.Equal("(None, 3)", s.Rows.Single().OutputShapeText);
        Assert.Equal(21, s.Totals.Total);
    }

    [Fact]
    public void Sequential_without_input_layer_reads_the_first_layers_batch_input_shape()
    {
        var g = new Zoo.Formats.Ir.ModelGraph { ClassName = "Sequential" };
        g.Layers.Add(Layer("Dense", "d1", """{"units": 5, "batch_input_shape": [null, 3]}"""));
        g.Layers.Add(Layer("Dense", "d2", """{"units": 2}"""));
        var s = ModelSummary.Of(g);
        Assert.Equal(["(None, 5)", "(None, 2)"], s.Rows.Select(r => r.OutputShapeText));
        Assert.Equal(20 + 12, s.Totals.Total);
    }
}
