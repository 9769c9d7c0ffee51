using Zoo.Formats.Summary;
using static Zoo.Convert.Tests.Support.Graphs;

namespace Zoo.Convert.Tests.Summary;

public class ParameterCountTests
{
    private static ParamCount Count(string input, string cls, string config)
        => ModelSummary.Of(Sequential(input, Layer(cls, "x", config))).Totals;

    [Theory]
    [InlineData("[null, 784]", "Dense", """{"units": 10}""", 7850, 0)]
    [InlineData("[null, 784]", "Dense", """{"units": 10, "use_bias": false}""", 7840, 0)]
    [InlineData("[null, 28, 28, 1]", "Conv2D", """{"filters": 32, "kernel_size": [3, 3]}""", 320, 0)]
    [InlineData("[null, 8, 8, 16]", "Conv2D", """{"filters": 32, "kernel_size": [3, 3], "groups": 4}""", 3 * 3 * 4 * 32 + 32, 0)]
    [InlineData("[null, 20, 5]", "Conv1D", """{"filters": 7, "kernel_size": [3], "use_bias": false}""", 105, 0)]
    [InlineData("[null, 10, 10, 3]", "DepthwiseConv2D", """{"kernel_size": [3, 3], "depth_multiplier": 2}""", 3 * 3 * 3 * 2 + 6, 0)]
    [InlineData("[null, 10, 10, 3]", "SeparableConv2D", """{"filters": 8, "kernel_size": [3, 3]}""", 27 + 24 + 8, 0)]
    [InlineData("[null, 10, 3]", "SeparableConv1D", """{"filters": 8, "kernel_size": [3], "depth_multiplier": 2}""", 18 + 48 + 8, 0)]
    [InlineData("[null, 4, 4, 6]", "Conv2DTranspose", """{"filters": 2, "kernel_size": [3, 3]}""", 3 * 3 * 6 * 2 + 2, 0)]
    [InlineData("[null, 6, 6, 6, 1]", "Conv3D", """{"filters": 2, "kernel_size": [3, 3, 3]}""", 56, 0)]
    [InlineData("[null, 8, 8, 16]", "BatchNormalization", """{"axis": -1}""", 32, 32)]
    [InlineData("[null, 16, 8, 8]", "BatchNormalization", """{"axis": 1, "scale": false}""", 16, 32)]
    [InlineData("[null, 8, 8, 16]", "BatchNormalization", """{"axis": [3], "center": false, "scale": false}""", 0, 32)]
    [InlineData("[null, 5, 12]", "LayerNormalization", """{"axis": [-1]}""", 24, 0)]
    [InlineData("[null, 10]", "Embedding", """{"input_dim": 100, "output_dim": 8}""", 800, 0)]
    [InlineData("[null, 5, 3]", "SimpleRNN", """{"units": 4}""", 4 * 3 + 16 + 4, 0)]
    [InlineData("[null, 5, 3]", "LSTM", """{"units": 4}""", 4 * (12 + 16 + 4), 0)]
    [InlineData("[null, 5, 3]", "GRU", """{"units": 4, "reset_after": false}""", 3 * (12 + 16 + 4), 0)]
    [InlineData("[null, 5, 3]", "GRU", """{"units": 4, "reset_after": true}""", 3 * (12 + 16 + 8), 0)]
    [InlineData("[null, 5, 3]", "Bidirectional", """{"layer": {"class_name": "LSTM", "config": {"units": 4}}}""", 2 * 4 * (12 + 16 + 4), 0)]
    [InlineData("[null, 5, 3]", "TimeDistributed", """{"layer": {"class_name": "Dense", "config": {"units": 7}}}""", 28, 0)]
    [InlineData("[null, 8, 8, 4]", "PReLU", """{}""", 256, 0)]
    [InlineData("[null, 8, 8, 4]", "PReLU", """{"shared_axes": [1, 2]}""", 4, 0)]
    [InlineData("[null, 784]", "Dense", """{"units": 10, "trainable": false}""", 0, 7850)]
    [InlineData("[null, 784]", "Dense", """{"output_dim": 10, "bias": false}""", 7840, 0)]
    [InlineData("[null, 5, 3]", "LSTM", """{"output_dim": 4}""", 4 * (12 + 16 + 4), 0)]
    [InlineData("[null, 8, 8, 16]", "Dropout", """{"rate": 0.1}""", 0, 0)]
    public void Config_derived_parameter_counts_match_keras(string input, string cls, string config, long trainable, long nonTrainable)
        => Assert.Equal(new ParamCount(trainable, nonTrainable), Count(input, cls, config));

    [Fact]
    public void Stored_weights_win_over_the_config_and_batchnorm_statistics_are_non_trainable()
    {
        var dense = Layer("Dense", "dense", """{"units": 3}""");
        dense.Weights.Add(Zeros("dense/kernel:0", 4, 3));
        dense.Weights.Add(Zeros("dense/bias:0", 3));
        var bn = Layer("BatchNormalization", "bn");
        foreach (var n in new[] { "gamma", "beta", "moving_mean", "moving_variance" }) bn.Weights.Add(Zeros($"bn/{n}:0", 3));
        var s = ModelSummary.Of(Sequential("[null, 99]", dense, bn));
        Assert.True(s.CountedFromWeights);
        Assert.Equal(new ParamCount(15 + 6, 6), s.Totals);
    }

    [Fact]
    public void Keras3_positional_batchnorm_variables_split_the_last_two_off_as_statistics()
    {
        var bn = Layer("BatchNormalization", "bn");
        for (int i = 0; i < 4; i++) bn.Weights.Add(Zeros($"vars/{i}", 5));
        Assert.Equal(new ParamCount(10, 10), ModelSummary.Of(Sequential("[null, 5]", bn)).Totals);
    }

    [Fact]
    public void Weights_of_a_frozen_layer_are_non_trainable()
    {
        var dense = Layer("Dense", "dense", """{"units": 3, "trainable": false}""");
        dense.Weights.Add(Zeros("dense/kernel:0", 4, 3));
        Assert.Equal(new ParamCount(0, 12), ModelSummary.Of(Sequential("[null, 4]", dense)).Totals);
    }
}
