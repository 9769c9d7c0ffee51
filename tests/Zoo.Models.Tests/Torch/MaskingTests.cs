using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Torch;

/// <summary>
/// Keras masks: a masked step leaves an RNN's state alone, so the final state equals running the cell over
/// the unmasked steps only — the reference used here, computed with the plain-loop cells.
/// </summary>
public class MaskingTests
{
    private const int Vocab = 6, Dim = 3, U = 2, T = 6;

    // Ids per sample: padding at the end, at the start, and a hole in the middle; 0 is the mask id.
    private static readonly float[] Ids = { 3, 1, 4, 0, 0, 0, 0, 0, 2, 5, 1, 3, 5, 0, 2, 0, 4, 1 };

    private static (WeightTensor E, WeightTensor K, WeightTensor R, WeightTensor B) Weights(string rnn)
        => (G.W("emb", "embeddings", new long[] { Vocab, Dim }, 61), G.W(rnn, "kernel", new long[] { Dim, 4 * U }, 62),
            G.W(rnn, "recurrent_kernel", new long[] { U, 4 * U }, 63), G.W(rnn, "bias", new long[] { 4 * U }, 64));

    private static LayerNode Embedding(WeightTensor e)
        => G.Layer("Embedding", "emb", $"{{\"input_dim\": {Vocab}, \"output_dim\": {Dim}, \"mask_zero\": true, \"batch_input_shape\": [null,{T}]}}", e);

    /// <summary>The embedded rows of sample <paramref name="n"/>'s unmasked steps, and those steps' indices.</summary>
    private static (float[] X, int[] Steps) Unmasked(WeightTensor e, int n, bool reverse = false)
    {
        var table = e.ToFloat32();
        var steps = Enumerable.Range(0, T).Where(t => Ids[n * T + t] != 0).ToArray();
        if (reverse) steps = steps.Reverse().ToArray();
        return (steps.SelectMany(t => table.Skip((int)Ids[n * T + t] * Dim).Take(Dim)).ToArray(), steps);
    }

    private static double[] Lstm(float[] x, WeightTensor k, WeightTensor r, WeightTensor b)
        => NaiveRnn.Lstm(x, x.Length / Dim, Dim, U, k.ToFloat32(), r.ToFloat32(), b.ToFloat32(), Naive.Sigmoid);

    [Fact]
    public void LSTM_after_Embedding_mask_zero_ends_in_the_state_of_its_unmasked_steps()
    {
        var (e, k, r, b) = Weights("lstm");
        var lstm = G.Layer("LSTM", "lstm", $"{{\"units\": {U}, \"recurrent_activation\": \"sigmoid\"}}", k, r, b);
        var y = G.Run(G.Sequential(Embedding(e), lstm), Ids, new long[] { 3, T }, out var shape);
        Assert.Equal(new long[] { 3, U }, shape);
        for (int n = 0; n < 3; n++)
        {
            var seq = Lstm(Unmasked(e, n).X, k, r, b);
            G.Close(seq.Skip(seq.Length - U).Select(v => (float)v).ToArray(), y.Skip(n * U).Take(U).ToArray());
        }
    }

    [Fact]
    public void LSTM_sequence_output_repeats_the_previous_output_on_masked_steps_and_is_zero_before_the_first()
    {
        var (e, k, r, b) = Weights("lstm");
        var lstm = G.Layer("LSTM", "lstm", $"{{\"units\": {U}, \"recurrent_activation\": \"sigmoid\", \"return_sequences\": true}}", k, r, b);
        var y = G.Run(G.Sequential(Embedding(e), lstm), Ids, new long[] { 3, T }, out _);
        for (int n = 0; n < 3; n++)
        {
            var (x, steps) = Unmasked(e, n);
            var seq = Lstm(x, k, r, b);
            var expected = new float[T * U];
            var last = new float[U];
            for (int t = 0, j = 0; t < T; t++)
            {
                if (j < steps.Length && steps[j] == t) { last = seq.Skip(j * U).Take(U).Select(v => (float)v).ToArray(); j++; }
                Array.Copy(last, 0, expected, t * U, U);
            }
            G.Close(expected, y.Skip(n * T * U).Take(T * U).ToArray());
        }
    }

    [Fact]
    public void Bidirectional_LSTM_with_a_mask_outputs_zeros_on_masked_steps_and_runs_each_direction_over_the_real_steps()
    {
        var (e, k, r, b) = Weights("forward_lstm");
        var (_, kb, rb, bb) = (e, G.W("backward_lstm", "kernel", new long[] { Dim, 4 * U }, 65),
            G.W("backward_lstm", "recurrent_kernel", new long[] { U, 4 * U }, 66), G.W("backward_lstm", "bias", new long[] { 4 * U }, 67));
        var bi = G.Layer("Bidirectional", "bi",
            $"{{\"merge_mode\": \"concat\", \"layer\": {{\"class_name\": \"LSTM\", \"config\": {{\"name\": \"lstm\", \"units\": {U}, \"recurrent_activation\": \"sigmoid\", \"return_sequences\": true}}}}}}",
            Rename(k, "bi/forward_lstm/kernel:0"), Rename(r, "bi/forward_lstm/recurrent_kernel:0"), Rename(b, "bi/forward_lstm/bias:0"),
            Rename(kb, "bi/backward_lstm/kernel:0"), Rename(rb, "bi/backward_lstm/recurrent_kernel:0"), Rename(bb, "bi/backward_lstm/bias:0"));
        var y = G.Run(G.Sequential(Embedding(e), bi), Ids, new long[] { 3, T }, out var shape);
        Assert.Equal(new long[] { 3, T, 2 * U }, shape);
        for (int n = 0; n < 3; n++)
        {
            var expected = new float[T * 2 * U];
            var (xf, steps) = Unmasked(e, n);
            var fwd = Lstm(xf, k, r, b);
            var bwd = Lstm(Unmasked(e, n, reverse: true).X, kb, rb, bb);
            for (int j = 0; j < steps.Length; j++)
            for (int u = 0; u < U; u++)
            {
                expected[steps[j] * 2 * U + u] = (float)fwd[j * U + u];
                expected[steps[j] * 2 * U + U + u] = (float)bwd[(steps.Length - 1 - j) * U + u];
            }
            G.Close(expected, y.Skip(n * T * 2 * U).Take(T * 2 * U).ToArray());
        }
    }

    private static WeightTensor Rename(WeightTensor w, string name) => w.Rename(name);

    [Fact]
    public void GlobalAveragePooling1D_after_a_mask_averages_only_the_real_steps()
    {
        var (e, _, _, _) = Weights("x");
        var pool = G.Layer("GlobalAveragePooling1D", "gap", "{}");
        var y = G.Run(G.Sequential(Embedding(e), pool), Ids, new long[] { 3, T }, out _);
        for (int n = 0; n < 3; n++)
        {
            var (x, steps) = Unmasked(e, n);
            var mean = Enumerable.Range(0, Dim).Select(d => (float)Enumerable.Range(0, steps.Length).Average(j => x[j * Dim + d])).ToArray();
            G.Close(mean, y.Skip(n * Dim).Take(Dim).ToArray());
        }
    }

    [Fact]
    public void Masking_layer_masks_steps_whose_features_all_equal_mask_value_and_zeroes_them()
    {
        var k = G.W("rnn", "kernel", new long[] { 2, 1 }, 68); var r = G.W("rnn", "recurrent_kernel", new long[] { 1, 1 }, 69);
        var mask = G.Layer("Masking", "mask", "{\"mask_value\": -1.0, \"batch_input_shape\": [null,4,2]}");
        var rnn = G.Layer("SimpleRNN", "rnn", "{\"units\": 1, \"use_bias\": false, \"return_sequences\": true}", k, r);
        var x = new float[] { 0.5f, -1, -1, -1, 0.2f, 0.3f, -1, -1 };
        var y = G.Run(G.Sequential(mask, rnn), x, new long[] { 1, 4, 2 }, out _);
        float kk0 = k.ToFloat32()[0], kk1 = k.ToFloat32()[1], rr = r.ToFloat32()[0];
        float h1 = MathF.Tanh(0.5f * kk0 - 1 * kk1);        // step 0: (0.5, −1) is not all −1
        float h3 = MathF.Tanh(0.2f * kk0 + 0.3f * kk1 + rr * h1);
        G.Close(new[] { h1, h1, h3, h3 }, y);
    }

    [Fact]
    public void A_Softmax_layer_receiving_a_mask_is_refused_naming_the_layer()
    {
        var (e, _, _, _) = Weights("x");
        var g = G.Sequential(Embedding(e), G.Layer("Softmax", "soft", "{\"axis\": -1}"));
        var error = Assert.Throws<Zoo.Formats.UnsupportedFeatureException>(() => G.Run(g, Ids, new long[] { 3, T }, out _));
        Assert.Contains("layer 'soft'", error.Message);
    }

    [Fact]
    public void A_layer_that_does_not_support_masking_drops_the_mask_as_Keras_3_does()
    {
        var (e, _, _, _) = Weights("x");
        var dense = G.Layer("Dense", "d", "{\"units\": 1, \"use_bias\": false}", G.W("d", "kernel", new long[] { T * Dim, 1 }, 70));
        var masked = G.Run(G.Sequential(Embedding(e), G.Layer("Flatten", "f", "{}"), dense), Ids, new long[] { 3, T }, out _);
        var plainEmbedding = G.Layer("Embedding", "emb", $"{{\"input_dim\": {Vocab}, \"output_dim\": {Dim}, \"batch_input_shape\": [null,{T}]}}", e);
        var plain = G.Run(G.Sequential(plainEmbedding, G.Layer("Flatten", "f", "{}"), dense), Ids, new long[] { 3, T }, out _);
        G.Close(plain, masked);
    }
}
