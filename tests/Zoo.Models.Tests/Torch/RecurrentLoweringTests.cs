using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Torch;

public class RecurrentLoweringTests
{
    private const int T = 5, In = 3, U = 4;

    private static float[] Last(double[] seq) => seq.Skip(seq.Length - U).Select(v => (float)v).ToArray();

    [Fact]
    public void LSTM_matches_the_Keras_cell_with_gates_i_f_c_o()
    {
        var k = G.W("lstm", "kernel", new long[] { In, 4 * U }, 51); var r = G.W("lstm", "recurrent_kernel", new long[] { U, 4 * U }, 52); var b = G.W("lstm", "bias", new long[] { 4 * U }, 53);
        var layer = G.Layer("LSTM", "lstm", $"{{\"units\": {U}, \"recurrent_activation\": \"sigmoid\", \"return_sequences\": true, \"batch_input_shape\": [null,{T},{In}]}}", k, r, b);
        var x = G.Rand(T * In, 54);
        var y = G.Run(G.Sequential(layer), x, new long[] { 1, T, In }, out var s);
        Assert.Equal(new long[] { 1, T, U }, s);
        G.Close(NaiveRnn.Lstm(x, T, In, U, k.ToFloat32(), r.ToFloat32(), b.ToFloat32(), Naive.Sigmoid).Select(v => (float)v).ToArray(), y);
    }

    [Fact]
    public void Keras1_LSTM_split_weights_listed_i_c_f_o_give_the_fused_result()
    {
        var k = G.Rand(In * 4 * U, 55, 0.5f); var r = G.Rand(U * 4 * U, 56, 0.5f); var b = G.Rand(4 * U, 57, 0.5f);
        // Keras 2 fused gate g occupies columns g·U..(g+1)·U in order i,f,c,o; Keras 1 stores them per gate.
        WeightTensor Slice(string name, float[] src, int rows, int gate) => WeightTensor.FromFloat32($"lstm_1_{name}", new long[] { rows, U },
            Enumerable.Range(0, rows).SelectMany(i => src.Skip(i * 4 * U + gate * U).Take(U)).ToArray());
        WeightTensor Bias(string name, int gate) => WeightTensor.FromFloat32($"lstm_1_{name}", new long[] { U }, b.Skip(gate * U).Take(U).ToArray());
        var weights = new List<WeightTensor>();
        foreach (var (g, idx) in new[] { ('i', 0), ('c', 2), ('f', 1), ('o', 3) })
            weights.AddRange(new[] { Slice($"W_{g}", k, In, idx), Slice($"U_{g}", r, U, idx), Bias($"b_{g}", idx) });
        var layer = G.Layer("LSTM", "lstm_1", $"{{\"output_dim\": {U}, \"inner_activation\": \"hard_sigmoid\", \"activation\": \"tanh\", \"batch_input_shape\": [null,{T},{In}]}}", weights.ToArray());
        var g1 = G.Sequential(layer); g1.Metadata.Dialect = KerasDialectKind.Keras1;
        var x = G.Rand(T * In, 58);
        var y = G.Run(g1, x, new long[] { 1, T, In }, out _);
        G.Close(Last(NaiveRnn.Lstm(x, T, In, U, k, r, b, Naive.HardSigmoid2)), y);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GRU_matches_the_Keras_cell_in_both_reset_after_forms(bool resetAfter)
    {
        var k = G.W("gru", "kernel", new long[] { In, 3 * U }, 61); var r = G.W("gru", "recurrent_kernel", new long[] { U, 3 * U }, 62);
        var b = G.W("gru", "bias", resetAfter ? new long[] { 2, 3 * U } : new long[] { 3 * U }, 63);
        var layer = G.Layer("GRU", "gru", $"{{\"units\": {U}, \"recurrent_activation\": \"sigmoid\", \"reset_after\": {(resetAfter ? "true" : "false")}, \"batch_input_shape\": [null,{T},{In}]}}", k, r, b);
        var x = G.Rand(T * In, 64);
        var y = G.Run(G.Sequential(layer), x, new long[] { 1, T, In }, out _);
        G.Close(Last(NaiveRnn.Gru(x, T, In, U, k.ToFloat32(), r.ToFloat32(), b.ToFloat32(), resetAfter)), y);
    }

    [Fact]
    public void SimpleRNN_go_backwards_reads_the_sequence_from_the_end()
    {
        var k = WeightTensor.FromFloat32("s/kernel:0", new long[] { 1, 1 }, new float[] { 1 });
        var r = WeightTensor.FromFloat32("s/recurrent_kernel:0", new long[] { 1, 1 }, new float[] { 0.5f });
        var b = WeightTensor.FromFloat32("s/bias:0", new long[] { 1 }, new float[] { 0 });
        var layer = G.Layer("SimpleRNN", "s", "{\"units\": 1, \"activation\": \"linear\", \"go_backwards\": true, \"batch_input_shape\": [null,3,1]}", k, r, b);
        // Backwards over [1,2,4]: h = 4; h = 2 + 2 = 4; h = 1 + 2 = 3.
        Assert.Equal(new float[] { 3 }, G.Run(G.Sequential(layer), new float[] { 1, 2, 4 }, new long[] { 1, 3, 1 }, out _));
    }

    [Fact]
    public void Bidirectional_concat_runs_the_backward_copy_on_the_reversed_sequence()
    {
        WeightTensor W(string dir, string n, float v) => WeightTensor.FromFloat32($"bi/{dir}_s/{n}:0", new long[] { 1, 1 }, new[] { v });
        var layer = G.Layer("Bidirectional", "bi",
            "{\"merge_mode\": \"concat\", \"layer\": {\"class_name\": \"SimpleRNN\", \"config\": {\"name\": \"s\", \"units\": 1, \"activation\": \"linear\", \"use_bias\": false, \"return_sequences\": true}}, \"batch_input_shape\": [null,3,1]}",
            W("forward", "kernel", 1), W("forward", "recurrent_kernel", 1), W("backward", "kernel", 2), W("backward", "recurrent_kernel", 0));
        var y = G.Run(G.Sequential(layer), new float[] { 1, 2, 3 }, new long[] { 1, 3, 1 }, out var s);
        Assert.Equal(new long[] { 1, 3, 2 }, s);
        // Forward cumulative sums 1,3,6; backward (2·x, no memory) read back in time order: 2,4,6.
        Assert.Equal(new float[] { 1, 2, 3, 4, 6, 6 }, y);
    }

    [Fact]
    public void TimeDistributed_Dense_applies_the_same_weights_to_every_step()
    {
        var k = G.W("td", "kernel", new long[] { In, 2 }, 71); var b = G.W("td", "bias", new long[] { 2 }, 72);
        var layer = G.Layer("TimeDistributed", "td", $"{{\"layer\": {{\"class_name\": \"Dense\", \"config\": {{\"name\": \"d\", \"units\": 2}}}}, \"batch_input_shape\": [null,{T},{In}]}}", k, b);
        var x = G.Rand(T * In, 73);
        var y = G.Run(G.Sequential(layer), x, new long[] { 1, T, In }, out var s);
        Assert.Equal(new long[] { 1, T, 2 }, s);
        G.Close(Naive.Dense(x, T, In, k.ToFloat32(), 2, b.ToFloat32()), y);
    }

    [Fact]
    public void Embedding_looks_up_rows_and_refuses_ids_out_of_range()
    {
        var e = WeightTensor.FromFloat32("emb/embeddings:0", new long[] { 3, 2 }, new float[] { 0, 1, 10, 11, 20, 21 });
        var g = G.Sequential(G.Layer("Embedding", "emb", "{\"input_dim\": 3, \"output_dim\": 2, \"batch_input_shape\": [null,2]}", e));
        Assert.Equal(new float[] { 20, 21, 0, 1 }, G.Run(g, new float[] { 2, 0 }, new long[] { 1, 2 }, out _));
        using var m = KerasModel.FromGraph(g);
        Assert.Throws<Zoo.Formats.ZooException>(() => m.Predict(new float[] { 3, 0 }, new long[] { 1, 2 }));
    }
}
