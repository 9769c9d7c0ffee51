using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;
using static TorchSharp.torch;

namespace Zoo.Models.Tests.Torch;

public class AttentionAndScalingTests
{
    private static double[] Softmax(double[] s) { var m = s.Max(); var e = s.Select(v => Math.Exp(v - m)).ToArray(); var z = e.Sum(); return e.Select(v => v / z).ToArray(); }

    /// <summary>Naive attention for one (Tq, d) query against (Tv, d) key/value.</summary>
    private static float[] NaiveAttention(float[] q, float[] k, float[] v, int tq, int tv, int d, Func<int, int, double> score)
    {
        var y = new float[tq * d];
        for (int i = 0; i < tq; i++)
        {
            var w = Softmax(Enumerable.Range(0, tv).Select(j => score(i, j)).ToArray());
            for (int c = 0; c < d; c++) y[i * d + c] = (float)Enumerable.Range(0, tv).Sum(j => w[j] * v[j * d + c]);
        }
        return y;
    }

    private static ModelGraph AttentionModel(string config, long?[] shape, params WeightTensor[] weights)
    {
        var g = new ModelGraph { Name = "att" };
        g.Layers.Add(G.Input("q", shape));
        g.Layers.Add(G.Input("v", shape));
        g.Layers.Add(G.Layer("Attention", "att", config, weights).Calls(new TensorRef("q"), new TensorRef("v")));
        g.Inputs.AddRange(new[] { new TensorRef("q"), new TensorRef("v") });
        g.Outputs.Add(new TensorRef("att"));
        return g;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dot_attention_is_softmax_of_scaled_q_k_times_v(bool useScale)
    {
        int tq = 3, tv = 4, d = 2;
        var weights = useScale ? new[] { WeightTensor.FromFloat32("att/scale:0", Array.Empty<long>(), new float[] { 0.7f }) } : Array.Empty<WeightTensor>();
        using var m = KerasModel.FromGraph(AttentionModel($"{{\"use_scale\": {(useScale ? "true" : "false")}, \"score_mode\": \"dot\"}}", new long?[] { null, null, d }, weights));
        var q = G.Rand(tq * d, 111); var v = G.Rand(tv * d, 112);
        var y = m.Predict(tensor(q, new long[] { 1, tq, d }), tensor(v, new long[] { 1, tv, d }))[0].data<float>().ToArray();
        double scale = useScale ? 0.7 : 1;
        G.Close(NaiveAttention(q, v, v, tq, tv, d, (i, j) => scale * Enumerable.Range(0, d).Sum(c => (double)q[i * d + c] * v[j * d + c])), y);
    }

    [Fact]
    public void Concat_attention_sums_tanh_of_q_plus_k_times_its_weight()
    {
        int tq = 2, tv = 3, d = 2;
        using var m = KerasModel.FromGraph(AttentionModel("{\"use_scale\": false, \"score_mode\": \"concat\"}", new long?[] { null, null, d },
            WeightTensor.FromFloat32("att/concat_score_weight:0", Array.Empty<long>(), new float[] { 1.5f })));
        var q = G.Rand(tq * d, 113); var v = G.Rand(tv * d, 114);
        var y = m.Predict(tensor(q, new long[] { 1, tq, d }), tensor(v, new long[] { 1, tv, d }))[0].data<float>().ToArray();
        G.Close(NaiveAttention(q, v, v, tq, tv, d, (i, j) => 1.5 * Enumerable.Range(0, d).Sum(c => Math.Tanh(q[i * d + c] + v[j * d + c]))), y);
    }

    [Fact]
    public void Rank2_attention_attends_across_the_batch_as_Keras_batched_matmul_does()
    {
        // (B, d) inputs: Keras computes q·vᵀ as a (B, B) matrix, so each row mixes every sample.
        int b = 3, d = 2;
        using var m = KerasModel.FromGraph(AttentionModel("{\"use_scale\": false}", new long?[] { null, d }));
        var q = G.Rand(b * d, 115); var v = G.Rand(b * d, 116);
        var y = m.Predict(tensor(q, new long[] { b, d }), tensor(v, new long[] { b, d }))[0].data<float>().ToArray();
        G.Close(NaiveAttention(q, v, v, b, b, d, (i, j) => Enumerable.Range(0, d).Sum(c => (double)q[i * d + c] * v[j * d + c])), y);
    }

    [Fact]
    public void Rescaling_and_UnitNormalization_follow_their_formulas()
    {
        Assert.Equal(new float[] { -1, 1 }, G.Run(G.Sequential(G.Layer("Rescaling", "r", "{\"scale\": 0.0078431373, \"offset\": -1.0, \"batch_input_shape\": [null,2]}")),
            new float[] { 0, 255 }, new long[] { 1, 2 }, out _).Select(v => (float)Math.Round(v, 5)).ToArray());
        G.Close(new float[] { 0.6f, 0.8f, 0, 0 }, G.Run(G.Sequential(G.Layer("UnitNormalization", "u", "{\"axis\": -1, \"batch_input_shape\": [null,2]}")),
            new float[] { 3, 4, 0, 0 }, new long[] { 2, 2 }, out _));
    }
}
