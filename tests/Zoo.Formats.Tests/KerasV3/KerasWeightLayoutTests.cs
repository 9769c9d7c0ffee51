using System.Text.Json.Nodes;
using Zoo.Formats.Hdf5;
using Zoo.Formats.Ir;
using Zoo.Formats.KerasV3;

namespace Zoo.Formats.Tests.KerasV3;

public class KerasWeightLayoutTests
{
    private static WeightTensor W(string name, params long[] shape)
    {
        var data = new byte[WeightTensor.ElementCount(shape) * 4];
        new Random(name.GetHashCode()).NextBytes(data);
        return new WeightTensor(name, shape, DType.Float32, data);
    }

    private static LayerNode Layer(string cls, string name, JsonObject? config = null, params WeightTensor[] weights)
    {
        config ??= new JsonObject();
        config["name"] = name;
        var l = new LayerNode(cls, name, config);
        l.Weights.AddRange(weights);
        return l;
    }

    /// <summary>A Keras 2 style Sequential model: weights named as tf.keras names them, no object paths.</summary>
    private static ModelGraph Keras2Sequential() => new ModelGraph { ClassName = "Sequential", Name = "seq" }.With(
        Layer("InputLayer", "input_1"),
        Layer("Dense", "fc", new() { ["units"] = 8 }, W("fc/kernel:0", 3, 8), W("fc/bias:0", 8)),
        Layer("LSTM", "rnn", new() { ["units"] = 2 }, W("rnn/lstm_cell/kernel:0", 8, 8), W("rnn/lstm_cell/recurrent_kernel:0", 2, 8), W("rnn/lstm_cell/bias:0", 8)),
        Layer("BatchNormalization", "bn", null, W("bn/gamma:0", 2), W("bn/beta:0", 2), W("bn/moving_mean:0", 2), W("bn/moving_variance:0", 2)),
        Layer("Dropout", "drop"),
        Layer("Dense", "out", new() { ["units"] = 1, ["use_bias"] = false }, W("out/kernel:0", 2, 1)));

    private static H5TreeGroup WriteAndReadTree(ModelGraph g, TempFolder temp)
    {
        var path = temp.File("w.weights.h5");
        KerasWeightsStore.Write(g, path);
        return H5TreeReader.Read(path);
    }

    private static List<string> DatasetPaths(H5TreeGroup g, string prefix = "")
        => g.Children.SelectMany(c => c is H5TreeGroup sub ? DatasetPaths(sub, $"{prefix}{c.Name}/") : new() { prefix + c.Name }).ToList();

    [Theory]
    [InlineData("Dense", "dense")]
    [InlineData("Conv2D", "conv2d")]
    [InlineData("Conv2DTranspose", "conv2d_transpose")]
    [InlineData("BatchNormalization", "batch_normalization")]
    [InlineData("QActivation", "q_activation")]
    [InlineData("LSTM", "lstm")]
    [InlineData("SimpleRNN", "simple_rnn")]
    [InlineData("GlobalAveragePooling2D", "global_average_pooling2d")]
    public void Object_names_are_keras_snake_cased_class_names(string cls, string expected)
        => Assert.Equal(expected, KerasObjectNames.ToSnakeCase(cls));

    [Fact]
    public void A_keras_2_sequential_model_is_laid_out_as_keras_3_saves_it()
    {
        using var temp = new TempFolder();
        var tree = WriteAndReadTree(Keras2Sequential(), temp);

        Assert.Equal(new[]
        {
            "layers/dense/vars/0", "layers/dense/vars/1",
            "layers/lstm/cell/vars/0", "layers/lstm/cell/vars/1", "layers/lstm/cell/vars/2",
            "layers/batch_normalization/vars/0", "layers/batch_normalization/vars/1",
            "layers/batch_normalization/vars/2", "layers/batch_normalization/vars/3",
            "layers/dense_1/vars/0",
        }.Order(StringComparer.Ordinal), DatasetPaths(tree).Order(StringComparer.Ordinal));
        Assert.Null(tree.Find("layers/input_layer"));
        Assert.Equal("seq", tree.Find("vars")!.Attributes.String("name"));
        Assert.Equal("fc", tree.Find("layers/dense/vars")!.Attributes.String("name"));
        Assert.Equal("drop", tree.Find("layers/dropout/vars")!.Attributes.String("name"));
    }

    [Fact]
    public void A_store_written_from_keras_2_weights_attaches_back_with_the_same_names_and_bytes()
    {
        using var temp = new TempFolder();
        var original = Keras2Sequential();
        var path = temp.File("w.weights.h5");
        KerasWeightsStore.Write(original, path);
        var architecture = Keras2Sequential();
        foreach (var l in architecture.Layers) l.Weights.Clear();

        KerasWeightsStore.Attach(architecture, path);

        Assert.Empty(GraphComparer.Differences(original, architecture, compareConfigs: false));
        Assert.Equal("cell/vars/1", architecture.GetLayer("rnn").Weights[1].ObjectPath);
    }

    [Fact]
    public void A_functional_model_keeps_its_input_layers_and_nests_inner_models_under_their_own_layers_group()
    {
        var inner = new ModelGraph { ClassName = "Sequential", Name = "head" }.With(
            Layer("Dense", "h1", new() { ["units"] = 2 }, W("h1/kernel:0", 4, 2), W("h1/bias:0", 2)));
        var g = new ModelGraph { ClassName = "Functional", Name = "net" }.With(
            Layer("InputLayer", "in"),
            Layer("Dense", "d", new() { ["units"] = 4 }, W("d/kernel:0", 3, 4), W("d/bias:0", 4)),
            new LayerNode("Sequential", "head") { Nested = inner });
        using var temp = new TempFolder();

        var tree = WriteAndReadTree(g, temp);

        Assert.Equal("in", tree.Find("layers/input_layer/vars")!.Attributes.String("name"));
        Assert.IsType<H5TreeDataset>(tree.Find("layers/dense/vars/1"));
        Assert.Equal("head", tree.Find("layers/sequential/vars")!.Attributes.String("name"));
        Assert.IsType<H5TreeDataset>(tree.Find("layers/sequential/layers/dense/vars/0"));
    }

    [Fact]
    public void A_bidirectional_lstm_keeps_forward_and_backward_cells_as_sub_objects()
    {
        var config = new JsonObject { ["layer"] = new JsonObject { ["class_name"] = "LSTM", ["config"] = new JsonObject { ["name"] = "lstm", ["units"] = 2 } } };
        var g = new ModelGraph { ClassName = "Sequential", Name = "s" }.With(Layer("Bidirectional", "bi", config,
            W("bi/forward_lstm/lstm_cell/kernel:0", 3, 8), W("bi/forward_lstm/lstm_cell/recurrent_kernel:0", 2, 8), W("bi/forward_lstm/lstm_cell/bias:0", 8),
            W("bi/backward_lstm/lstm_cell/kernel:0", 3, 8), W("bi/backward_lstm/lstm_cell/recurrent_kernel:0", 2, 8), W("bi/backward_lstm/lstm_cell/bias:0", 8)));
        using var temp = new TempFolder();

        var tree = WriteAndReadTree(g, temp);

        Assert.Equal(new long[] { 2, 8 }, ((H5TreeDataset)tree.Find("layers/bidirectional/forward_layer/cell/vars/1")!).Shape);
        Assert.Equal(new long[] { 8 }, ((H5TreeDataset)tree.Find("layers/bidirectional/backward_layer/cell/vars/2")!).Shape);
    }

    [Fact]
    public void A_layer_whose_weights_do_not_fit_its_class_is_refused_naming_the_layer()
    {
        var g = new ModelGraph { ClassName = "Sequential", Name = "s" }.With(
            Layer("Dense", "odd", new() { ["units"] = 2 }, W("odd/kernel:0", 2, 2), W("odd/bias:0", 2), W("odd/extra:0", 2)));
        using var temp = new TempFolder();

        var e = Assert.Throws<UnsupportedFeatureException>(() => KerasWeightsStore.Write(g, temp.File("w.weights.h5")));

        Assert.Equal("odd", e.ObjectPath);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Bfloat16_variables_round_trip_bit_for_bit_and_carry_the_keras_dtype_attribute()
    {
        var bits = new byte[] { 0x80, 0x3f, 0x00, 0x40, 0x40, 0xc0, 0x01, 0x7f };
        var g = new ModelGraph { ClassName = "Sequential", Name = "s" }.With(
            Layer("Dense", "bf", new() { ["units"] = 2 }, new WeightTensor("bf/kernel:0", new long[] { 1, 2 }, DType.BFloat16, bits[..4]),
                new WeightTensor("bf/bias:0", new long[] { 2 }, DType.BFloat16, bits[4..])));
        using var temp = new TempFolder();
        var path = temp.File("bf.weights.h5");

        KerasWeightsStore.Write(g, path);
        var back = KerasWeightsStore.Read(path);

        var kernel = back.GetLayer("bf").Weights[0];
        Assert.Equal(DType.BFloat16, kernel.DType);
        Assert.Equal(bits[..4], kernel.Data);
        Assert.Equal(new[] { 1f, 2f }, kernel.ToFloat32());
        Assert.Equal("bfloat16", ((H5TreeDataset)H5TreeReader.Read(path).Find("layers/dense/vars/0")!).Attributes.String("dtype"));
    }

    [SkippableFact]
    public void A_bfloat16_store_written_by_h5py_the_keras_way_reads_as_bfloat16()
    {
        H5py.Require();
        using var temp = new TempFolder();
        var path = temp.File("h5py.weights.h5");
        var run = H5py.Run("""
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], 'w') as f:
    g = f.create_group('layers/dense').create_group('vars')
    g.attrs['name'] = 'dense'
    d = g.create_dataset('0', data=np.frombuffer(bytes([0x80, 0x3f, 0x00, 0xc0]), dtype='V2').reshape(1, 2))
    d.attrs['dtype'] = 'bfloat16'
    f.create_group('vars').attrs['name'] = 'sequential'
""", path);
        Assert.True(run.ExitCode == 0, run.Error);

        var graph = KerasWeightsStore.Read(path);

        var w = Assert.Single(graph.GetLayer("dense").Weights);
        Assert.Equal(DType.BFloat16, w.DType);
        Assert.Equal(new[] { 1f, -2f }, w.ToFloat32());
    }
}

internal static class GraphBuilding
{
    /// <summary>Adds layers and returns the graph, for compact test set-up.</summary>
    public static ModelGraph With(this ModelGraph g, params LayerNode[] layers)
    {
        g.Layers.AddRange(layers);
        return g;
    }
}
