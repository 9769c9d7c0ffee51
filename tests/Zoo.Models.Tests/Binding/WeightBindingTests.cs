using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Weights;
using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Binding;

public class WeightBindingTests
{
    private static ModelGraph DenseModel(params WeightTensor[] weights)
        => G.Sequential(G.Layer("Dense", "dense", "{\"units\": 2, \"batch_input_shape\": [null,3]}", weights));

    [Fact]
    public void A_missing_bias_fails_the_load_and_the_report_names_it()
    {
        var ex = Assert.Throws<WeightMismatchException>(() => KerasModel.FromGraph(DenseModel(G.W("dense", "kernel", new long[] { 3, 2 }, 1))));
        Assert.Equal("dense", ex.Layer);
        Assert.Contains("weight 'bias' [2] is missing", ex.Message);
    }

    [Fact]
    public void A_wrongly_shaped_kernel_is_reported_with_both_shapes()
    {
        var ex = Assert.Throws<WeightMismatchException>(() => KerasModel.FromGraph(DenseModel(G.W("dense", "kernel", new long[] { 2, 3 }, 1), G.W("dense", "bias", new long[] { 2 }, 2))));
        Assert.Contains("has shape [2,3], expected [3,2]", ex.Message);
    }

    [Fact]
    public void An_extra_stored_weight_is_unexpected_and_never_silently_dropped()
    {
        var ex = Assert.Throws<WeightMismatchException>(() => KerasModel.FromGraph(DenseModel(
            G.W("dense", "kernel", new long[] { 3, 2 }, 1), G.W("dense", "bias", new long[] { 2 }, 2), G.W("dense", "extra", new long[] { 1 }, 3))));
        Assert.Contains("stored weight 'dense/extra:0' [1] is unexpected", ex.Message);
    }

    [Fact]
    public void Weights_on_a_layer_that_is_never_called_are_unexpected()
    {
        var g = DenseModel(G.W("dense", "kernel", new long[] { 3, 2 }, 1), G.W("dense", "bias", new long[] { 2 }, 2));
        g.ClassName = "Functional";
        g.Layers.Insert(0, G.Input("in", null, 3));
        g.Layers[1].Calls(new TensorRef("in"));
        g.Layers.Add(G.Layer("Dense", "orphan", "{\"units\": 1}", G.W("orphan", "kernel", new long[] { 2, 1 }, 4)));
        g.Inputs.Add(new TensorRef("in"));
        g.Outputs.Add(new TensorRef("dense"));
        var ex = Assert.Throws<WeightMismatchException>(() => KerasModel.FromGraph(g));
        Assert.Contains("layer 'orphan': stored weight 'orphan/kernel:0'", ex.Message);
    }

    [Fact]
    public void Keras3_vars_paths_bind_by_their_index_and_say_so()
    {
        var bias = G.W("x", "b", new long[] { 2 }, 2);
        var kernel = G.W("x", "k", new long[] { 3, 2 }, 1);
        var g = DenseModel(bias.Rename("vars/1"), kernel.Rename("vars/0"));
        using var m = KerasModel.FromGraph(g);
        Assert.True(m.Binding.IsComplete);
        Assert.All(m.Binding.Matched, w => Assert.True(w.ByPosition));
        Assert.Equal("vars/0", m.Binding.Matched.Single(w => w.Weight == "kernel").StoredName);
    }

    [Fact]
    public void Keras1_session_suffixed_names_bind_by_position_and_the_report_says_why()
    {
        using var m = KerasModel.FromGraph(DenseModel(G.W("x", "k", new long[] { 3, 2 }, 1).Rename("dense_W_1:0"), G.W("x", "b", new long[] { 2 }, 2).Rename("dense_b_1:0")));
        var positional = Assert.Single(m.Binding.PositionalWeights);
        Assert.Equal(("dense", "dense_W_1:0, dense_b_1:0", PositionalReason.Keras1Names), (positional.Layer, positional.Stored, positional.Reason));
        Assert.All(m.Binding.Matched, w => Assert.True(w.ByPosition));
        Assert.StartsWith("complete: 2 weights bound; the weights of 1 layer were bound by position within the layer", m.Binding.Describe());
    }

    [Fact]
    public void Complete_binding_lists_every_matched_weight_with_its_stored_name()
    {
        using var m = KerasModel.FromGraph(DenseModel(G.W("dense", "kernel", new long[] { 3, 2 }, 1), G.W("dense", "bias", new long[] { 2 }, 2)));
        Assert.Equal(new[] { "dense/kernel:0", "dense/bias:0" }, m.Binding.Matched.Select(w => w.StoredName));
        Assert.Equal("complete: 2 weights bound", m.Binding.Describe());
    }

    [Fact]
    public void An_unknown_layer_class_is_an_unsupported_feature_naming_layer_and_class()
    {
        var g = G.Sequential(G.Layer("MyCustomLayer", "custom", "{\"batch_input_shape\": [null,3]}"));
        var ex = Assert.Throws<UnsupportedFeatureException>(() => KerasModel.FromGraph(g));
        Assert.Contains("layer 'custom': class 'MyCustomLayer'", ex.Message);
    }
}
