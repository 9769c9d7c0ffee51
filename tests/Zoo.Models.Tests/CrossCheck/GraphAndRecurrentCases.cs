using static Zoo.Models.Tests.CrossCheck.LayerCase;

namespace Zoo.Models.Tests.CrossCheck;

/// <summary>
/// Recurrent layers, wrappers, merges and graph shapes (shared layers, several outputs, nested models)
/// as Keras 2 configs. GRUs use <c>reset_after=false</c> only: tfjs-layers has no <c>reset_after</c>.
/// </summary>
internal static class GraphAndRecurrentCases
{
    private const string RnnCommon = "\"use_bias\":true,\"return_state\":false,\"stateful\":false,\"unroll\":false,\"time_major\":false,\"dropout\":0.0,\"recurrent_dropout\":0.0";

    private static string Rnn(string cls, int units, string extra) => With(cls switch
    {
        "SimpleRNN" => $$"""{"units":{{units}},"activation":"tanh",{{RnnCommon}},"return_sequences":false,"go_backwards":false}""",
        "LSTM" => $$"""{"units":{{units}},"activation":"tanh","recurrent_activation":"sigmoid","unit_forget_bias":true,{{RnnCommon}},"return_sequences":false,"go_backwards":false}""",
        _ => $$"""{"units":{{units}},"activation":"tanh","recurrent_activation":"sigmoid","reset_after":false,{{RnnCommon}},"return_sequences":false,"go_backwards":false}""",
    }, extra);

    private static int Gates(string cls) => cls switch { "LSTM" => 4, "GRU" => 3, _ => 1 };

    private static string CellScope(string cls) => cls switch { "LSTM" => "lstm_cell", "GRU" => "gru_cell", _ => "simple_rnn_cell" };

    private static Wt[] RnnWeights(string cls, long inputs, int units, string scope)
    {
        int g = Gates(cls);
        return new[] { new Wt($"{scope}kernel", inputs, g * units), new Wt($"{scope}recurrent_kernel", units, g * units), new Wt($"{scope}bias", g * units) };
    }

    private static Lyr Recurrent(string cls, string name, int units, long inputs, string extra = "")
        => new(cls, name, Rnn(cls, units, extra), RnnWeights(cls, inputs, units, CellScope(cls) + "/"));

    private static LayerCase Bidirectional(string id, string cls, string mergeMode, bool sequences)
    {
        string inner = cls.ToLowerInvariant();
        var layer = LayerObject(cls, inner, Rnn(cls, 3, sequences ? ",\"return_sequences\":true" : "")).ToJsonString();
        var weights = RnnWeights(cls, 4, 3, $"forward_{inner}/{CellScope(cls)}/").Concat(RnnWeights(cls, 4, 3, $"backward_{inner}/{CellScope(cls)}/")).ToArray();
        return Seq(id, new long[] { 5, 4 }, new Lyr("Bidirectional", "bidirectional", $$"""{"layer":{{layer}},"merge_mode":"{{mergeMode}}"}""", weights));
    }

    private static Wt[] DenseWeights(long inputs, int units) => new[] { new Wt("kernel", inputs, units), new Wt("bias", units) };

    private static string DenseCfg(int units, string activation = "linear") => $$"""{"units":{{units}},"activation":"{{activation}}","use_bias":true}""";

    /// <summary>Every recurrent, wrapper, merge and graph case.</summary>
    public static IEnumerable<LayerCase> All()
    {
        yield return Seq("simple_rnn_last_state", new long[] { 5, 3 }, Recurrent("SimpleRNN", "rnn", 4, 3));
        yield return Seq("simple_rnn_sequences_go_backwards", new long[] { 5, 3 }, Recurrent("SimpleRNN", "rnn", 4, 3, ",\"return_sequences\":true,\"go_backwards\":true"));
        yield return Seq("lstm_last_state", new long[] { 6, 3 }, Recurrent("LSTM", "lstm", 4, 3));
        yield return Seq("lstm_sequences_hard_sigmoid_gates", new long[] { 6, 3 }, Recurrent("LSTM", "lstm", 4, 3, ",\"return_sequences\":true,\"recurrent_activation\":\"hard_sigmoid\""));
        yield return Seq("gru_reset_after_false", new long[] { 6, 3 }, Recurrent("GRU", "gru", 4, 3));
        yield return Seq("gru_reset_after_false_sequences_go_backwards", new long[] { 6, 3 }, Recurrent("GRU", "gru", 4, 3, ",\"return_sequences\":true,\"go_backwards\":true"));
        yield return Seq("embedding_then_lstm", new long[] { 7 }, 12, 1e-5f,
            new Lyr("Embedding", "emb", """{"input_dim":12,"output_dim":3,"mask_zero":false,"input_length":7}""", new Wt("embeddings", 12, 3)),
            Recurrent("LSTM", "lstm", 4, 3));
        yield return Bidirectional("bidirectional_lstm_concat", "LSTM", "concat", false);
        yield return Bidirectional("bidirectional_gru_sum_sequences", "GRU", "sum", true);
        yield return Bidirectional("bidirectional_simple_rnn_ave", "SimpleRNN", "ave", false);
        yield return Bidirectional("bidirectional_lstm_mul_sequences", "LSTM", "mul", true);
        yield return Seq("time_distributed_dense", new long[] { 4, 5 }, new Lyr("TimeDistributed", "td",
            $$"""{"layer":{{LayerObject("Dense", "dense", DenseCfg(3, "relu")).ToJsonString()}}}""", DenseWeights(5, 3)));

        foreach (var op in new[] { "Add", "Multiply", "Average", "Maximum", "Minimum" })
            yield return new FunctionalCase("m").Input("a", 4, 3).Input("b", 4, 3).Call(op, "merge", "{}", Array.Empty<Wt>(), "a", "b").Outputs("merge")
                .Case("merge_" + op.ToLowerInvariant());
        yield return new FunctionalCase("m").Input("a", 4, 3).Input("b", 4, 2).Input("c", 4, 1)
            .Call("Concatenate", "concat", """{"axis":-1}""", Array.Empty<Wt>(), "a", "b", "c").Outputs("concat").Case("concatenate_last_axis_three_inputs");
        yield return new FunctionalCase("m").Input("a", 2, 3).Input("b", 4, 3)
            .Call("Concatenate", "concat", """{"axis":1}""", Array.Empty<Wt>(), "a", "b").Outputs("concat").Case("concatenate_axis_1");

        // A shared layer called twice (node indices 0 and 1) feeding two outputs.
        yield return new FunctionalCase("shared").Input("a", 5).Input("b", 5)
            .Call("Dense", "shared", DenseCfg(4, "relu"), DenseWeights(5, 4), "a").CallAgain("shared", "b")
            .Call("Add", "sum", "{}", Array.Empty<Wt>(), "shared", "shared@1")
            .Call("Dense", "head1", DenseCfg(3), DenseWeights(4, 3), "sum")
            .Call("Dense", "head2", DenseCfg(2, "softmax"), DenseWeights(4, 2), "shared@1")
            .Outputs("head1", "head2").Case("functional_shared_layer_two_outputs");

        // Nested models: a functional body with BatchNormalization (nested weights: all trainable, then all
        // non-trainable), and a nested Sequential encoder called on two inputs. Keras numbers a nested
        // model's calls from 1 (node 0 is the model's own input-to-output node, never saved).
        var plain = new FunctionalCase("body").Input("x", 5)
            .Call("Dense", "d1", DenseCfg(6, "relu"), DenseWeights(5, 6), "x")
            .Call("Dense", "d2", DenseCfg(4), DenseWeights(6, 4), "d1").Outputs("d2").Case("body");
        yield return new FunctionalCase("outer").Input("a", 5).Nested(plain, "body", "a")
            .Call("Dense", "head", DenseCfg(2), DenseWeights(4, 2), "body@1").Outputs("head").Case("nested_functional_model");
        var body = new FunctionalCase("body").Input("x", 5)
            .Call("Dense", "d1", DenseCfg(6, "relu"), DenseWeights(5, 6), "x")
            .Call("BatchNormalization", "bn", """{"axis":-1,"momentum":0.99,"epsilon":0.001,"center":true,"scale":true}""",
                new[] { new Wt("gamma", 6), new Wt("beta", 6), new Wt("moving_mean", 6), new Wt("moving_variance", 6) }, "d1")
            .Call("Dense", "d2", DenseCfg(4), DenseWeights(6, 4), "bn").Outputs("d2").Case("body");
        yield return new FunctionalCase("outer").Input("a", 5).Nested(body, "body", "a")
            .Call("Dense", "head", DenseCfg(2), DenseWeights(4, 2), "body@1").Outputs("head").Case("nested_functional_model_with_batchnorm");
        var encoder = Seq("encoder", new long[] { 4 }, new Lyr("Dense", "enc", DenseCfg(3, "tanh"), DenseWeights(4, 3)));
        yield return new FunctionalCase("siamese").Input("a", 4).Input("b", 4)
            .Nested(encoder, "encoder", "a").CallAgain("encoder", "b")
            .Call("Concatenate", "concat", """{"axis":-1}""", Array.Empty<Wt>(), "encoder@1", "encoder@2").Outputs("concat")
            .Case("nested_sequential_called_on_two_inputs");
    }
}
