using Zoo.Formats.Config;
using Zoo.Formats.Hdf5;
using Zoo.Formats.Hdf5.Legacy;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Hdf5;
using Zoo.Formats.Tests.Support;
using Zoo.Formats.Weights;

namespace Zoo.Formats.Tests.Weights;

public class WeightAttacherTests
{
    private static ModelGraph Architecture(string jsonFixture)
        => ModelConfigCodec.Parse(KerasJson.Parse(File.ReadAllText(Fixtures.Path(jsonFixture))), jsonFixture);

    [SkippableFact]
    public void A_weights_file_bound_by_name_onto_its_json_config_equals_the_full_model()
    {
        var arch = Architecture("dl4j-test-resources/simple_lstm_tf_keras_2_config.json");
        var weights = LegacyH5.Read(Fixtures.Path("dl4j-test-resources/simple_lstm_tf_keras_2_weights.h5"));
        WeightAttacher.Attach(arch, weights, WeightBinding.ByName, "weights.h5");
        var full = LegacyH5.Read(Fixtures.Path("dl4j-test-resources/simple_lstm_tf_keras_2_model.h5"));
        full.OptimizerWeights.Clear();
        full.TrainingConfig = null;
        Assert.Empty(GraphComparer.Differences(full, arch, compareConfigs: false));
        Assert.Equal(5, arch.AllWeights().Count());
    }

    [SkippableFact]
    public void Kotlindl_lstm_weights_whose_layer_names_all_differ_pair_by_position_as_Keras_does_and_say_so()
    {
        var weights = LegacyH5.Read(Fixtures.Path("kotlindl/lstm_weights.h5"));
        var byName = Architecture("kotlindl/lstm_model.json");
        var pairings = WeightAttacher.Attach(byName, weights, WeightBinding.ByName, "lstm_weights.h5");
        Assert.All(pairings, p => Assert.Equal(PositionalReason.LayerNameNotFound, p.Reason));
        Assert.Contains(pairings, p => p.Layer == "lstm_3" && p.Stored == "lstm_9");

        var arch = Architecture("kotlindl/lstm_model.json");
        var requested = WeightAttacher.Attach(arch, weights, WeightBinding.ByPosition, "lstm_weights.h5");
        Assert.All(requested, p => Assert.Equal(PositionalReason.LayerOrderRequested, p.Reason));
        Assert.Equal(new[] { 3, 0, 3, 0, 3, 0, 2, 0 }, arch.Layers.Where(l => l.ClassName != "InputLayer").Select(l => l.Weights.Count));
        Assert.Equal(new[] { 3, 0, 3, 0, 3, 0, 2, 0 }, byName.Layers.Where(l => l.ClassName != "InputLayer").Select(l => l.Weights.Count));
        Assert.Same(weights.Layers[0].Weights[0].Data, arch.GetLayer("lstm_3").Weights[0].Data);
        Assert.Same(weights.GetLayer("dense_3").Weights[1].Data, arch.GetLayer("dense_1").Weights[1].Data);
    }

    [Fact]
    public void A_stored_layer_named_like_another_architecture_layer_is_never_paired_by_position_elsewhere()
    {
        // The file's 'd2' would pair with the architecture's 'd1' by position, while a layer 'd2' exists: refused.
        var stored = StoredWeights(("d2", new[] { "d2/kernel:0" }, new long[] { 1 }), ("x", new[] { "x/kernel:0" }, new long[] { 1 }));
        var e = Assert.Throws<WeightMismatchException>(() => WeightAttacher.Attach(TwoDense(), stored, WeightBinding.ByName, "w.h5"));
        Assert.Equal("x", e.Layer);
        Assert.Contains("do not line up with the file's by position either", e.Message);
    }

    [Fact]
    public void A_renamed_classifier_pairs_by_position_and_is_the_only_pairing_reported()
    {
        var stored = StoredWeights(("d1", new[] { "d1/kernel:0" }, new long[] { 1 }), ("probs", new[] { "probs/kernel:0" }, new long[] { 1 }));
        var arch = TwoDense();
        var pairing = Assert.Single(WeightAttacher.Attach(arch, stored, WeightBinding.ByName, "w.h5"));
        Assert.Equal(new PositionalBinding("d2", "probs", PositionalReason.LayerNameNotFound), pairing);
        Assert.Equal("probs/kernel:0", arch.GetLayer("d2").Weights.Single().Name);
    }

    private static ModelGraph TwoDense()
    {
        var g = new ModelGraph { ClassName = "Sequential", Name = "s" };
        g.Layers.Add(new LayerNode("Dense", "d1"));
        g.Layers.Add(new LayerNode("Dense", "d2"));
        return g;
    }

    private static ModelGraph StoredWeights(params (string Layer, string[] Names, long[] Shape)[] layers)
    {
        var g = new ModelGraph { HasArchitecture = false };
        foreach (var (layer, names, shape) in layers)
        {
            var node = new LayerNode("", layer);
            foreach (var n in names)
                node.Weights.Add(WeightTensor.FromFloat32(n, shape, new float[WeightTensor.ElementCount(shape)]));
            g.Layers.Add(node);
        }
        return g;
    }

    [Fact]
    public void A_layer_missing_from_the_weights_file_is_reported_by_name()
    {
        var e = Assert.Throws<WeightMismatchException>(() =>
            WeightAttacher.Attach(TwoDense(), StoredWeights(("d1", new[] { "d1/kernel:0" }, new long[] { 2 })), WeightBinding.ByName, "w.h5"));
        Assert.Equal("d2", e.Layer);
        Assert.Equal("w.h5", e.File);
    }

    [Fact]
    public void An_unexpected_layer_with_weights_is_reported_with_its_first_weight()
    {
        var stored = StoredWeights(("d1", Array.Empty<string>(), new long[] { 1 }), ("d2", Array.Empty<string>(), new long[] { 1 }),
            ("extra", new[] { "extra/kernel:0" }, new long[] { 1 }));
        var e = Assert.Throws<WeightMismatchException>(() => WeightAttacher.Attach(TwoDense(), stored, WeightBinding.ByName, null));
        Assert.Equal(("extra", "extra/kernel:0"), (e.Layer, e.Weight));
    }

    [Fact]
    public void A_weight_count_or_shape_that_differs_from_known_weights_is_reported_with_expected_and_found()
    {
        var arch = TwoDense();
        arch.Layers[0].Weights.Add(WeightTensor.FromFloat32("d1/kernel:0", new long[] { 2, 3 }, new float[6]));
        var wrongShape = StoredWeights(("d1", new[] { "d1/kernel:0" }, new long[] { 3, 2 }), ("d2", Array.Empty<string>(), new long[] { 1 }));
        var e = Assert.Throws<WeightMismatchException>(() => WeightAttacher.Attach(arch, wrongShape, WeightBinding.ByName, null));
        Assert.Equal(("d1", "shape [2,3]", "[3,2]"), (e.Layer, e.Expected, e.Actual));

        var wrongCount = StoredWeights(("d1", new[] { "d1/kernel:0", "d1/bias:0" }, new long[] { 2, 3 }), ("d2", Array.Empty<string>(), new long[] { 1 }));
        var c = Assert.Throws<WeightMismatchException>(() => WeightAttacher.Attach(arch, wrongCount, WeightBinding.ByName, null));
        Assert.Equal(("1 weights", "2"), (c.Expected, c.Actual));
    }

    [Fact]
    public void Position_binding_with_a_different_number_of_weighted_layers_is_refused()
    {
        var stored = StoredWeights(("a", new[] { "a/k:0" }, new long[] { 1 }), ("b", new[] { "b/k:0" }, new long[] { 1 }), ("c", new[] { "c/k:0" }, new long[] { 1 }));
        Assert.Throws<WeightMismatchException>(() => WeightAttacher.Attach(TwoDense(), stored, WeightBinding.ByPosition, null));
    }

    private const string NestedConfig = """
    {"class_name": "Model", "config": {"name": "outer", "layers": [
      {"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_input_shape": [null, 4], "dtype": "float32"}, "inbound_nodes": []},
      {"class_name": "Sequential", "name": "inner", "config": {"name": "inner", "layers": [
          {"class_name": "Dense", "config": {"name": "fc", "units": 3, "batch_input_shape": [null, 4]}},
          {"class_name": "BatchNormalization", "config": {"name": "bn"}}]},
       "inbound_nodes": [[["in", 0, 0, {}]]]},
      {"class_name": "Dense", "name": "head", "config": {"name": "head", "units": 1}, "inbound_nodes": [[["inner", 1, 0, {}]]]}],
     "input_layers": [["in", 0, 0]], "output_layers": [["head", 0, 0]]}}
    """;

    [Fact]
    public void A_nested_models_flat_weight_list_is_spread_over_its_layers_and_written_back_in_stored_order()
    {
        var arch = ModelConfigCodec.Parse(KerasJson.Parse(NestedConfig));
        // tf.keras 2 order inside a nested model's group: all trainable, then all non-trainable.
        var innerNames = new[] { "fc/kernel:0", "fc/bias:0", "bn/gamma:0", "bn/beta:0", "bn/moving_mean:0", "bn/moving_variance:0" };
        var stored = new ModelGraph { HasArchitecture = false };
        stored.Layers.Add(new LayerNode("", "in"));
        var inner = new LayerNode("", "inner");
        float v = 0;
        foreach (var n in innerNames) inner.Weights.Add(WeightTensor.FromFloat32(n, new long[] { 3 }, new[] { v++, v++, v++ }));
        stored.Layers.Add(inner);
        var head = new LayerNode("", "head");
        head.Weights.Add(WeightTensor.FromFloat32("head/kernel:0", new long[] { 3, 1 }, new float[] { 1, 2, 3 }));
        stored.Layers.Add(head);

        WeightAttacher.Attach(arch, stored, WeightBinding.ByName, "nested.h5");
        var nested = arch.GetLayer("inner");
        Assert.Equal(new[] { "fc/kernel:0", "fc/bias:0" }, nested.Nested!.GetLayer("fc").Weights.Select(w => w.Name));
        Assert.Equal(4, nested.Nested.GetLayer("bn").Weights.Count);
        Assert.Equal(innerNames, nested.StoredWeightOrder);

        var tree = LegacyH5.BuildTree(arch);
        var group = (H5TreeGroup)((H5TreeGroup)tree["model_weights"]!)["inner"]!;
        Assert.Equal(innerNames, group.Attributes.Strings("weight_names"));
        var back = LegacyH5.Read(tree, "mem");
        Assert.Empty(GraphComparer.Differences(arch, back));
    }

    // A Sequential inside a Functional inside the model (tf.keras 2 layout: each refers to its child's first call as node 1).
    private const string TwoDeepConfig = """
    {"class_name": "Functional", "config": {"name": "outer", "layers": [
      {"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_input_shape": [null, 4], "dtype": "float32"}, "inbound_nodes": []},
      {"class_name": "Functional", "name": "mid", "inbound_nodes": [[["in", 0, 0, {}]]], "config": {"name": "mid", "layers": [
          {"class_name": "InputLayer", "name": "mid_in", "config": {"name": "mid_in", "batch_input_shape": [null, 4], "dtype": "float32"}, "inbound_nodes": []},
          {"class_name": "Sequential", "name": "inner", "inbound_nodes": [[["mid_in", 0, 0, {}]]], "config": {"name": "inner", "layers": [
              {"class_name": "Dense", "config": {"name": "fc", "units": 3, "batch_input_shape": [null, 4]}}]}},
          {"class_name": "Dense", "name": "mid_fc", "config": {"name": "mid_fc", "units": 2}, "inbound_nodes": [[["inner", 1, 0, {}]]]}],
        "input_layers": [["mid_in", 0, 0]], "output_layers": [["mid_fc", 0, 0]]}},
      {"class_name": "Dense", "name": "head", "config": {"name": "head", "units": 1}, "inbound_nodes": [[["mid", 1, 0, {}]]]}],
     "input_layers": [["in", 0, 0]], "output_layers": [["head", 0, 0]]}}
    """;

    [Fact]
    public void A_model_nested_two_deep_keeps_its_grandchild_weights_under_their_own_layer_names_and_reads_them_back()
    {
        var arch = ModelConfigCodec.Parse(KerasJson.Parse(TwoDeepConfig));
        var mid = arch.GetLayer("mid").Nested!;
        float v = 0;
        WeightTensor W(string name, params long[] shape)
            => WeightTensor.FromFloat32(name, shape, Enumerable.Range(0, (int)WeightTensor.ElementCount(shape)).Select(_ => v++).ToArray());
        mid.GetLayer("inner").Nested!.GetLayer("fc").Weights.AddRange([W("fc/kernel:0", 4, 3), W("fc/bias:0", 3)]);
        mid.GetLayer("mid_fc").Weights.AddRange([W("mid_fc/kernel:0", 3, 2), W("mid_fc/bias:0", 2)]);
        arch.GetLayer("head").Weights.AddRange([W("head/kernel:0", 2, 1), W("head/bias:0", 1)]);

        var tree = LegacyH5.BuildTree(arch);
        // tf.keras scopes a variable by its own layer only, so the grandchild's weights sit in mid's group as fc/…
        var group = (H5TreeGroup)((H5TreeGroup)tree["model_weights"]!)["mid"]!;
        Assert.Equal(["fc/kernel:0", "fc/bias:0", "mid_fc/kernel:0", "mid_fc/bias:0"], group.Attributes.Strings("weight_names"));
        var back = LegacyH5.Read(tree, "mem");
        Assert.Empty(GraphComparer.Differences(arch, back));
        Assert.Equal(2, back.GetLayer("mid").Nested!.GetLayer("inner").Nested!.GetLayer("fc").Weights.Count);
    }

    [Fact]
    public void A_nested_weight_scoped_under_no_nested_layer_is_reported()
    {
        var arch = ModelConfigCodec.Parse(KerasJson.Parse(NestedConfig));
        var stored = new ModelGraph { HasArchitecture = false };
        var inner = new LayerNode("", "inner");
        inner.Weights.Add(WeightTensor.FromFloat32("elsewhere/kernel:0", new long[] { 1 }, new float[] { 1 }));
        stored.Layers.Add(inner);
        stored.Layers.Add(new LayerNode("", "head"));
        var e = Assert.Throws<WeightMismatchException>(() => WeightAttacher.Attach(arch, stored, WeightBinding.ByName, null));
        Assert.Equal(("inner", "elsewhere/kernel:0"), (e.Layer, e.Weight));
    }
}
