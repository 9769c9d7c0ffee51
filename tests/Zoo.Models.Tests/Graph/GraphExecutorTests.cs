using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;
using static TorchSharp.torch;

namespace Zoo.Models.Tests.Graph;

public class GraphExecutorTests
{
    private static WeightTensor Scalar(string layer, string name, float v, long rows = 1, long cols = 1)
        => WeightTensor.FromFloat32($"{layer}/{name}:0", name == "bias" ? new[] { cols } : new[] { rows, cols }, Enumerable.Repeat(v, (int)(name == "bias" ? cols : rows * cols)).ToArray());

    private static LayerNode Dense(string name, float k, float b = 0)
        => G.Layer("Dense", name, "{\"units\": 1}", Scalar(name, "kernel", k), Scalar(name, "bias", b));

    [Fact]
    public void Functional_graph_with_two_inputs_and_two_outputs_returns_outputs_in_model_order()
    {
        var g = new ModelGraph { Name = "two" };
        g.Layers.Add(G.Input("a", null, 1));
        g.Layers.Add(G.Input("b", null, 1));
        g.Layers.Add(Dense("da", 2).Calls(new TensorRef("a")));
        g.Layers.Add(G.Layer("Subtract", "sub", "{}").Calls(new TensorRef("da"), new TensorRef("b")));
        g.Layers.Add(G.Layer("Concatenate", "cat", "{\"axis\": -1}").Calls(new TensorRef("da"), new TensorRef("b")));
        g.Inputs.AddRange(new[] { new TensorRef("a"), new TensorRef("b") });
        g.Outputs.AddRange(new[] { new TensorRef("cat"), new TensorRef("sub") });
        using var m = KerasModel.FromGraph(g);
        Assert.Equal(new[] { "cat", "sub" }, m.OutputNames);
        var y = m.Predict(tensor(new float[] { 3 }, new long[] { 1, 1 }), tensor(new float[] { 1 }, new long[] { 1, 1 }));
        Assert.Equal(new float[] { 6, 1 }, y[0].data<float>().ToArray());
        Assert.Equal(new float[] { 5 }, y[1].data<float>().ToArray());
    }

    [Fact]
    public void Shared_layer_called_twice_uses_its_node_indices_and_one_set_of_weights()
    {
        var g = new ModelGraph { Name = "shared" };
        g.Layers.Add(G.Input("a", null, 1));
        g.Layers.Add(G.Input("b", null, 1));
        g.Layers.Add(Dense("shared", 10, 1).Calls(new TensorRef("a")).Calls(new TensorRef("b")));
        g.Layers.Add(G.Layer("Add", "add", "{}").Calls(new TensorRef("shared", 0), new TensorRef("shared", 1)));
        g.Layers.Add(G.Layer("Multiply", "mul", "{}").Calls(new TensorRef("shared", 1), new TensorRef("b")));
        g.Inputs.AddRange(new[] { new TensorRef("a"), new TensorRef("b") });
        g.Outputs.AddRange(new[] { new TensorRef("add"), new TensorRef("mul") });
        using var m = KerasModel.FromGraph(g);
        var y = m.Predict(tensor(new float[] { 1 }, new long[] { 1, 1 }), tensor(new float[] { 2 }, new long[] { 1, 1 }));
        Assert.Equal(11 + 21, y[0].item<float>());
        Assert.Equal(21 * 2, y[1].item<float>());
        Assert.Equal(2, m.Binding.Matched.Count);
    }

    [Fact]
    public void Nested_model_used_as_a_layer_runs_its_own_graph_on_each_call()
    {
        var inner = G.Sequential(G.Input("inner_in", null, 1), Dense("inner_dense", 3, 1), G.Layer("Activation", "inner_act", "{\"activation\": \"relu\"}"));
        inner.Name = "inner";
        var nestedLayer = new LayerNode("Sequential", "inner") { Nested = inner };
        nestedLayer.Calls(new TensorRef("x")).Calls(new TensorRef("x2"));
        var g = new ModelGraph { Name = "outer" };
        g.Layers.Add(G.Input("x", null, 1));
        g.Layers.Add(Dense("x2", -1).Calls(new TensorRef("x")));
        g.Layers.Add(nestedLayer);
        // Keras numbers a built nested model's saved calls from node 1 (node 0 is its own input-to-output link).
        g.Layers.Add(G.Layer("Average", "avg", "{}").Calls(new TensorRef("inner", 1), new TensorRef("inner", 2)));
        g.Inputs.Add(new TensorRef("x"));
        g.Outputs.Add(new TensorRef("avg"));
        using var m = KerasModel.FromGraph(g);
        // inner(2) = relu(7) = 7; inner(-2) = relu(-5) = 0; mean 3.5.
        Assert.Equal(3.5f, m.Predict(tensor(new float[] { 2 }, new long[] { 1, 1 })).item<float>());
        Assert.Contains(m.Binding.Matched, w => w.Layer == "inner/inner_dense" && w.Weight == "kernel");
    }

    [Fact]
    public void Rnn_return_state_outputs_are_selected_by_tensor_index()
    {
        var g = new ModelGraph { Name = "states" };
        g.Layers.Add(G.Input("x", null, 2, 1));
        g.Layers.Add(G.Layer("LSTM", "lstm", "{\"units\": 1, \"return_state\": true, \"recurrent_activation\": \"sigmoid\"}",
            G.W("lstm", "kernel", new long[] { 1, 4 }, 81), G.W("lstm", "recurrent_kernel", new long[] { 1, 4 }, 82), G.W("lstm", "bias", new long[] { 4 }, 83))
            .Calls(new TensorRef("x")));
        g.Inputs.Add(new TensorRef("x"));
        g.Outputs.AddRange(new[] { new TensorRef("lstm", 0, 0), new TensorRef("lstm", 0, 1), new TensorRef("lstm", 0, 2) });
        using var m = KerasModel.FromGraph(g);
        var y = m.Predict(new[] { tensor(new float[] { 0.5f, -1 }, new long[] { 1, 2, 1 }) });
        Assert.Equal(3, y.Length);
        Assert.Equal(y[0].item<float>(), y[1].item<float>()); // output == final h
        Assert.NotEqual(y[1].item<float>(), y[2].item<float>()); // c differs from h
    }

    [Fact]
    public void Predict_is_deterministic_and_leaves_the_caller_tensors_alone()
    {
        var g = G.Sequential(G.Layer("Dense", "d", "{\"units\": 3, \"activation\": \"tanh\", \"batch_input_shape\": [null,4]}",
            G.W("d", "kernel", new long[] { 4, 3 }, 91), G.W("d", "bias", new long[] { 3 }, 92)));
        using var m = KerasModel.FromGraph(g);
        var x = G.Rand(8, 93);
        var a = m.Predict(x, new long[] { 2, 4 });
        var b = m.Predict(x, new long[] { 2, 4 });
        Assert.Equal(a, b);
    }
}
