using System.Text.Json.Nodes;
using Zoo.Formats.Dialects;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Tests.Dialects;

public class Keras1WeightConversionTests
{
    private static WeightTensor Const(string name, long[] shape, float v)
        => WeightTensor.FromFloat32(name, shape, Enumerable.Repeat(v, (int)WeightTensor.ElementCount(shape)).ToArray());

    private static ModelGraph Keras1Lstm()
    {
        var g = new ModelGraph { ClassName = "Sequential", Name = "s", SequentialConfigIsList = true };
        g.Metadata.Dialect = KerasDialectKind.Keras1;
        var l = new LayerNode("LSTM", "lstm_1", new JsonObject { ["name"] = "lstm_1", ["output_dim"] = 2, ["input_dim"] = 3, ["input_length"] = 4, ["batch_input_shape"] = new JsonArray(null, 4, 3) });
        // Keras 1 stored gates in the order i, c, f, o; each gate gets its own constant.
        float code = 1;
        foreach (var gate in new[] { "i", "c", "f", "o" })
        {
            l.Weights.Add(Const($"lstm_1_W_{gate}:0", [3, 2], code));
            l.Weights.Add(Const($"lstm_1_U_{gate}:0", [2, 2], code + 10));
            l.Weights.Add(Const($"lstm_1_b_{gate}:0", [2], code + 20));
            code++;
        }
        g.Layers.Add(l);
        return g;
    }

    [Fact]
    public void Keras1_lstm_gates_are_concatenated_in_keras2_order_i_f_c_o()
    {
        var k2 = DialectTranslator.Translate(Keras1Lstm(), KerasDialectKind.Keras2);
        var w = k2.Layers[0].Weights;
        Assert.Equal(["lstm_1/kernel:0", "lstm_1/recurrent_kernel:0", "lstm_1/bias:0"], w.Select(x => x.Name));
        Assert.Equal(new long[] { 3, 8 }, w[0].Shape);
        // Row 0 of the kernel: i i f f c c o o = codes 1 1 3 3 2 2 4 4.
        Assert.Equal(new float[] { 1, 1, 3, 3, 2, 2, 4, 4 }, w[0].ToFloat32()[..8]);
        Assert.Equal(new float[] { 21, 21, 23, 23, 22, 22, 24, 24 }, w[2].ToFloat32());
        Assert.Equal(new long[] { 2, 8 }, w[1].Shape);
    }

    [Fact]
    public void Translation_leaves_the_source_graph_untouched()
    {
        var k1 = Keras1Lstm();
        DialectTranslator.Translate(k1, KerasDialectKind.Keras3);
        Assert.Equal(12, k1.Layers[0].Weights.Count);
        Assert.Equal("lstm_1_W_i:0", k1.Layers[0].Weights[0].Name);
    }

    [Fact]
    public void Keras1_batch_norm_running_std_becomes_moving_variance()
    {
        var g = new ModelGraph { ClassName = "Sequential", Name = "s", SequentialConfigIsList = true };
        g.Metadata.Dialect = KerasDialectKind.Keras1;
        var l = new LayerNode("BatchNormalization", "bn", new JsonObject { ["name"] = "bn", ["mode"] = 0, ["axis"] = -1, ["epsilon"] = 0.001, ["batch_input_shape"] = new JsonArray(null, 3) });
        foreach (var n in new[] { "gamma", "beta", "running_mean", "running_std" }) l.Weights.Add(Const($"bn_{n}:0", [3], 1));
        g.Layers.Add(l);
        var k2 = DialectTranslator.Translate(g, KerasDialectKind.Keras2);
        Assert.Equal(["bn/gamma:0", "bn/beta:0", "bn/moving_mean:0", "bn/moving_variance:0"], k2.Layers[0].Weights.Select(x => x.Name));
    }
}
