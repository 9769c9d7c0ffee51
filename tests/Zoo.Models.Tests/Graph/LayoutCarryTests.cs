using Zoo.Formats.Ir;
using Zoo.Models.Binding;
using Zoo.Models.Tests.Support;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.Models.Tests.Graph;

/// <summary>
/// The executor keeps tensors channels first between layers that can run so; these tests hold it to the
/// per-layer converting path (carrying off), which every parity fixture was checked with.
/// </summary>
public class LayoutCarryTests
{
    private static WeightTensor Positive(string layer, string name, int n, int seed)
        => WeightTensor.FromFloat32($"{layer}/{name}:0", new long[] { n }, G.Rand(n, seed).Select(v => 1f + v / 2).ToArray());

    /// <summary>
    /// conv → BN → Concatenate on channels with a 1×1 conv → pool → pad, then an Add of that with its Permute
    /// (one input carried channels first, one in Keras layout), Dense on a rank-4 tensor, Reshape, Flatten, a
    /// spatial Concatenate and global pooling: every kind of layout boundary the executor meets.
    /// </summary>
    private static ModelGraph Mixed()
    {
        var g = new ModelGraph { Name = "mixed" };
        g.Layers.Add(G.Input("in", null, 6, 6, 3));
        g.Layers.Add(G.Layer("Conv2D", "c1", "{\"filters\": 4, \"kernel_size\": [3, 3], \"padding\": \"same\", \"activation\": \"relu\"}",
            G.W("c1", "kernel", new long[] { 3, 3, 3, 4 }, 1), G.W("c1", "bias", new long[] { 4 }, 2)).Calls(new TensorRef("in")));
        g.Layers.Add(G.Layer("BatchNormalization", "bn", "{\"axis\": -1, \"epsilon\": 0.001}",
            Positive("bn", "gamma", 4, 3), G.W("bn", "beta", new long[] { 4 }, 4), G.W("bn", "moving_mean", new long[] { 4 }, 5),
            Positive("bn", "moving_variance", 4, 6)).Calls(new TensorRef("c1")));
        g.Layers.Add(G.Layer("Conv2D", "c2", "{\"filters\": 2, \"kernel_size\": [1, 1], \"strides\": [1, 1]}",
            G.W("c2", "kernel", new long[] { 1, 1, 3, 2 }, 7), G.W("c2", "bias", new long[] { 2 }, 8)).Calls(new TensorRef("in")));
        g.Layers.Add(G.Layer("Concatenate", "cat_channels", "{\"axis\": -1}").Calls(new TensorRef("bn"), new TensorRef("c2")));
        g.Layers.Add(G.Layer("MaxPooling2D", "pool", "{\"pool_size\": [2, 2]}").Calls(new TensorRef("cat_channels")));
        g.Layers.Add(G.Layer("ZeroPadding2D", "pad", "{\"padding\": [[1, 1], [1, 1]]}").Calls(new TensorRef("pool")));
        g.Layers.Add(G.Layer("Permute", "perm", "{\"dims\": [2, 1, 3]}").Calls(new TensorRef("pad")));
        g.Layers.Add(G.Layer("Add", "add", "{}").Calls(new TensorRef("pad"), new TensorRef("perm")));
        g.Layers.Add(G.Layer("Activation", "act", "{\"activation\": \"tanh\"}").Calls(new TensorRef("add")));
        g.Layers.Add(G.Layer("Dense", "dense3d", "{\"units\": 3}",
            G.W("dense3d", "kernel", new long[] { 6, 3 }, 9), G.W("dense3d", "bias", new long[] { 3 }, 10)).Calls(new TensorRef("act")));
        g.Layers.Add(G.Layer("Reshape", "resh", "{\"target_shape\": [25, -1]}").Calls(new TensorRef("dense3d")));
        g.Layers.Add(G.Layer("Concatenate", "cat_rows", "{\"axis\": 1}").Calls(new TensorRef("pool"), new TensorRef("pool")));
        g.Layers.Add(G.Layer("Flatten", "flat", "{}").Calls(new TensorRef("cat_rows")));
        g.Layers.Add(G.Layer("GlobalAveragePooling2D", "gap", "{}").Calls(new TensorRef("act")));
        g.Inputs.Add(new TensorRef("in"));
        g.Outputs.AddRange(new[] { new TensorRef("resh"), new TensorRef("flat"), new TensorRef("gap"), new TensorRef("bn") });
        return g;
    }

    private static Tensor Input() => tensor(G.Rand(2 * 6 * 6 * 3, 11), new long[] { 2, 6, 6, 3 });

    [Fact]
    public void A_graph_mixing_conv_flatten_reshape_permute_dense3d_and_channel_concat_gives_identical_outputs_with_carrying_on_and_off()
    {
        using var carried = KerasModel.FromGraph(Mixed());
        using var reference = KerasModel.FromGraph(Mixed(), options: new KerasModelOptions { CarryChannelsFirst = false });
        using var x = Input();
        var a = carried.Predict(new[] { x });
        var b = reference.Predict(new[] { x });
        Assert.Equal(4, a.Length);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(b[i].shape, a[i].shape);
            Assert.Equal(b[i].data<float>().ToArray(), a[i].data<float>().ToArray());
        }
        Assert.Equal(new long[] { 2, 25, 3 }, a[0].shape);
        Assert.Equal(new long[] { 2, 6, 6, 4 }, a[3].shape);
    }

    [SkippableTheory]
    [InlineData("dl4j-test-resources/cnn_batch_norm.h5")]
    public void A_real_Keras_model_gives_the_same_outputs_with_carrying_on_and_off(string localPath)
    {
        Skip.If(Zoo.Formats.Tests.Support.Fixtures.KerasRealRoot is null, "keras-real fixtures are absent");
        var graph = Zoo.Formats.KerasFile.Load(Zoo.Formats.Tests.Support.Fixtures.Path(localPath));
        using var carried = KerasModel.FromGraph(graph);
        using var reference = KerasModel.FromGraph(graph, options: new KerasModelOptions { CarryChannelsFirst = false });
        var shape = carried.InputShapes[0]!.Select(d => d ?? 1).ToArray();
        shape[0] = 2;
        using var x = rand(shape, generator: manual_seed(5));
        using var a = carried.Predict(x);
        using var b = reference.Predict(x);
        // One channel makes torch's memory format ambiguous, so a convolution may take another kernel path:
        // float rounding, far inside every parity tolerance.
        G.Close(b.data<float>().ToArray(), a.data<float>().ToArray(), 1e-6f);
    }

    [Fact]
    public void Observed_activations_are_in_Keras_layout_whatever_layout_the_executor_carries()
    {
        using var carried = KerasModel.FromGraph(Mixed());
        using var reference = KerasModel.FromGraph(Mixed(), options: new KerasModelOptions { CarryChannelsFirst = false });
        using var x = Input();
        var a = carried.PredictActivations(x);
        var b = reference.PredictActivations(x);
        Assert.Equal(b.Keys.OrderBy(k => k), a.Keys.OrderBy(k => k));
        foreach (var (name, t) in b)
        {
            Assert.Equal(t.shape, a[name].shape);
            Assert.Equal(t.data<float>().ToArray(), a[name].data<float>().ToArray());
        }
        Assert.Equal(new long[] { 2, 3, 3, 6 }, a["pool"].shape);
    }

    [Fact]
    public void A_channels_first_concatenation_of_inputs_of_different_ranks_is_not_attempted()
    {
        var inputs = new[] { new Zoo.Models.Graph.Carried(zeros(1, 2, 3, 3), true), Zoo.Models.Graph.Carried.Keras(zeros(1, 3, 2)) };
        Assert.False(Zoo.Models.Graph.Carried.RunChannelsFirst(LayoutAffinity.Either, inputs));
        Assert.True(Zoo.Models.Graph.Carried.RunChannelsFirst(LayoutAffinity.Either, inputs.Take(1).ToArray()));
        Assert.False(Zoo.Models.Graph.Carried.RunChannelsFirst(LayoutAffinity.Keras, inputs.Take(1).ToArray()));
    }

    [Theory]
    [InlineData(new long[] { 3, 3, 5, 7 }, "ConvKernel")]
    [InlineData(new long[] { 1, 1, 64, 33 }, "ConvKernel")]
    [InlineData(new long[] { 5, 6, 7 }, "ConvKernel")]
    [InlineData(new long[] { 2, 3, 1, 5, 4 }, "ConvKernel")]
    [InlineData(new long[] { 70, 45 }, "DenseKernel")]
    [InlineData(new long[] { 9 }, "Keras")]
    public void The_direct_weight_copy_gives_exactly_what_the_tensor_layout_conversion_gives(long[] shape, string kind)
    {
        var layout = Enum.Parse<TorchWeightLayout>(kind);
        var w = WeightTensor.FromFloat32("l/k:0", shape, G.Rand((int)WeightTensor.ElementCount(shape), 21));
        using var keras = tensor(w.ToFloat32(), shape);
        using var expected = (layout switch
        {
            TorchWeightLayout.ConvKernel => KerasTorchLayout.ConvToTorch(keras),
            TorchWeightLayout.DenseKernel => KerasTorchLayout.DenseToTorch(keras),
            _ => keras.alias(),
        }).contiguous();
        Assert.True(WeightCopy.Handles(w, layout));
        using var actual = WeightCopy.ToTorch(w, layout);
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
    }

    [Fact]
    public void Binding_a_model_at_load_copies_the_weights_so_the_graph_bytes_never_change_when_the_model_does()
    {
        var g = Mixed();
        var before = g.GetLayer("c1").Weights[0].Data.ToArray();
        using var m = KerasModel.FromGraph(g);
        Assert.True(m.Binding.IsComplete);
        // Training updates the torch weights in place; the IR they were read from must not see it.
        var layer = m.Executor.LoweredLayers().Single(l => l.Path == "c1").Layer;
        layer.TrainableTensors[0].add_(1f);
        Assert.Equal(before, g.GetLayer("c1").Weights[0].Data);
    }
}
