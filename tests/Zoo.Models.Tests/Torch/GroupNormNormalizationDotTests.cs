using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;
using static TorchSharp.torch;

namespace Zoo.Models.Tests.Torch;

public class GroupNormNormalizationDotTests
{
    [Theory]
    [InlineData(2, true, true)]
    [InlineData(4, true, false)]
    [InlineData(1, false, true)]   // one group: layer norm over everything
    public void GroupNormalization_normalizes_each_group_of_channels_over_all_positions(int groups, bool center, bool scale)
    {
        int n = 2, h = 3, w = 2, c = 4;
        var weights = new List<WeightTensor>();
        if (scale) weights.Add(G.W("gn", "gamma", new long[] { c }, 31));
        if (center) weights.Add(G.W("gn", "beta", new long[] { c }, 32));
        var layer = G.Layer("GroupNormalization", "gn",
            $"{{\"groups\": {groups}, \"axis\": -1, \"epsilon\": 0.001, \"center\": {(center ? "true" : "false")}, \"scale\": {(scale ? "true" : "false")}, \"batch_input_shape\": [null,{h},{w},{c}]}}", weights.ToArray());
        var x = G.Rand(n * h * w * c, 33, 3f);
        var y = G.Run(G.Sequential(layer), x, new long[] { n, h, w, c }, out _);
        var gamma = scale ? weights[0].ToFloat32() : null;
        var beta = center ? weights[^1].ToFloat32() : null;
        int cg = c / groups;
        var expected = new float[x.Length];
        for (int b = 0; b < n; b++)
        for (int g = 0; g < groups; g++)
        {
            var idx = new List<int>();
            for (int p = 0; p < h * w; p++) for (int ci = g * cg; ci < (g + 1) * cg; ci++) idx.Add((b * h * w + p) * c + ci);
            double mean = idx.Average(i => (double)x[i]);
            double variance = idx.Average(i => (x[i] - mean) * (x[i] - mean));
            foreach (var i in idx)
            {
                int ci = i % c;
                expected[i] = (float)((x[i] - mean) / Math.Sqrt(variance + 1e-3) * (gamma?[ci] ?? 1) + (beta?[ci] ?? 0));
            }
        }
        G.Close(expected, y);
    }

    [Fact]
    public void GroupNormalization_on_channels_first_axis_1_groups_the_second_axis()
    {
        int n = 1, c = 4, t = 3;
        var layer = G.Layer("GroupNormalization", "gn", $"{{\"groups\": 2, \"axis\": 1, \"center\": false, \"scale\": false, \"batch_input_shape\": [null,{c},{t}]}}");
        var x = G.Rand(n * c * t, 34, 2f);
        var y = G.Run(G.Sequential(layer), x, new long[] { n, c, t }, out _);
        for (int g = 0; g < 2; g++)
        {
            var part = x.Skip(g * 2 * t).Take(2 * t).Select(v => (double)v).ToArray();
            double mean = part.Average(), sd = Math.Sqrt(part.Average(v => (v - mean) * (v - mean)) + 1e-3);
            for (int i = 0; i < 2 * t; i++) Assert.True(Math.Abs((part[i] - mean) / sd - y[g * 2 * t + i]) < 1e-5);
        }
    }

    [Fact]
    public void GroupNormalization_refuses_channels_that_do_not_split_into_groups()
    {
        var layer = G.Layer("GroupNormalization", "gn", "{\"groups\": 3, \"center\": false, \"scale\": false, \"batch_input_shape\": [null,2,4]}");
        var e = Assert.Throws<Zoo.Formats.ModelFormatException>(() => KerasModel.FromGraph(G.Sequential(layer)));
        Assert.Contains("groups=3", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Normalization_with_adapted_weights_standardizes_each_feature_and_invert_undoes_it(bool invert)
    {
        int n = 3, t = 2, c = 3;
        var mean = WeightTensor.FromFloat32("norm/mean:0", new long[] { c }, new[] { 1f, -2f, 0.5f });
        var variance = WeightTensor.FromFloat32("norm/variance:0", new long[] { c }, new[] { 4f, 0.25f, 0f });
        var count = new WeightTensor("norm/count:0", Array.Empty<long>(), DType.Int64, BitConverter.GetBytes(10L));
        var layer = G.Layer("Normalization", "norm", $"{{\"axis\": -1, \"invert\": {(invert ? "true" : "false")}, \"batch_input_shape\": [null,{t},{c}]}}", mean, variance, count);
        var x = G.Rand(n * t * c, 35, 3f);
        var y = G.Run(G.Sequential(layer), x, new long[] { n, t, c }, out _);
        var m = mean.ToFloat32(); var v = variance.ToFloat32();
        // A zero variance is floored at Keras's epsilon 1e-7 rather than dividing by zero.
        var expected = x.Select((xv, i) => { double sd = Math.Max(Math.Sqrt(v[i % c]), 1e-7); return (float)(invert ? m[i % c] + xv * sd : (xv - m[i % c]) / sd); }).ToArray();
        // Feature 2 divides by 1e-7, so its outputs are ~1e7 and are compared relatively.
        for (int i = 0; i < x.Length; i++)
            Assert.True(Math.Abs(expected[i] - y[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"[{i}] {expected[i]} vs {y[i]}");
    }

    [Fact]
    public void Normalization_with_mean_and_variance_in_the_config_has_no_weights_and_keeps_axis_1()
    {
        var layer = G.Layer("Normalization", "norm", "{\"axis\": 1, \"mean\": [1.0, 2.0], \"variance\": [1.0, 4.0], \"batch_input_shape\": [null,2,3]}");
        var x = G.Rand(6, 36);
        var y = G.Run(G.Sequential(layer), x, new long[] { 1, 2, 3 }, out _);
        var expected = x.Select((v, i) => i < 3 ? v - 1f : (v - 2f) / 2f).ToArray();
        G.Close(expected, y);
    }

    [Fact]
    public void Normalization_with_axis_null_uses_one_scalar_mean_and_variance()
    {
        var mean = WeightTensor.FromFloat32("norm/mean:0", Array.Empty<long>(), new[] { 0.5f });
        var variance = WeightTensor.FromFloat32("norm/variance:0", Array.Empty<long>(), new[] { 9f });
        var count = new WeightTensor("norm/count:0", Array.Empty<long>(), DType.Int64, BitConverter.GetBytes(4L));
        var layer = G.Layer("Normalization", "norm", "{\"axis\": null, \"batch_input_shape\": [null,4]}", mean, variance, count);
        var x = G.Rand(8, 37);
        var y = G.Run(G.Sequential(layer), x, new long[] { 2, 4 }, out _);
        G.Close(x.Select(v => (v - 0.5f) / 3f).ToArray(), y);
    }

    private static ModelGraph DotModel(string config, long?[] a, long?[] b)
    {
        var g = new ModelGraph { Name = "dot" };
        g.Layers.Add(G.Input("a", a));
        g.Layers.Add(G.Input("b", b));
        g.Layers.Add(G.Layer("Dot", "dot", config).Calls(new TensorRef("a"), new TensorRef("b")));
        g.Inputs.AddRange(new[] { new TensorRef("a"), new TensorRef("b") });
        g.Outputs.Add(new TensorRef("dot"));
        return g;
    }

    [Fact]
    public void Dot_of_two_vectors_per_sample_gives_a_batch_by_1_column()
    {
        using var m = KerasModel.FromGraph(DotModel("{\"axes\": 1}", new long?[] { null, 4 }, new long?[] { null, 4 }));
        var a = G.Rand(8, 41); var b = G.Rand(8, 42);
        var y = m.Predict(tensor(a, new long[] { 2, 4 }), tensor(b, new long[] { 2, 4 }))[0];
        Assert.Equal(new long[] { 2, 1 }, y.shape);
        var v = y.data<float>().ToArray();
        for (int s = 0; s < 2; s++) Assert.True(Math.Abs(Enumerable.Range(0, 4).Sum(i => a[s * 4 + i] * b[s * 4 + i]) - v[s]) < 1e-5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dot_contracts_the_chosen_axes_keeping_the_rest_in_order(bool normalize)
    {
        // a (2,3,4), b (2,5,3), axes [1,2]: y[n,i,j] = Σ_k a[n,k,i]·b[n,j,k] → (2,4,5).
        using var m = KerasModel.FromGraph(DotModel($"{{\"axes\": [1, 2], \"normalize\": {(normalize ? "true" : "false")}}}", new long?[] { null, 3, 4 }, new long?[] { null, 5, 3 }));
        var a = G.Rand(24, 43); var b = G.Rand(30, 44);
        var y = m.Predict(tensor(a, new long[] { 2, 3, 4 }), tensor(b, new long[] { 2, 5, 3 }))[0];
        Assert.Equal(new long[] { 2, 4, 5 }, y.shape);
        var v = y.data<float>().ToArray();
        for (int n = 0; n < 2; n++)
        for (int i = 0; i < 4; i++)
        for (int j = 0; j < 5; j++)
        {
            double na = normalize ? Math.Sqrt(Enumerable.Range(0, 3).Sum(k => (double)a[(n * 3 + k) * 4 + i] * a[(n * 3 + k) * 4 + i])) : 1;
            double nb = normalize ? Math.Sqrt(Enumerable.Range(0, 3).Sum(k => (double)b[(n * 5 + j) * 3 + k] * b[(n * 5 + j) * 3 + k])) : 1;
            double e = Enumerable.Range(0, 3).Sum(k => (double)a[(n * 3 + k) * 4 + i] * b[(n * 5 + j) * 3 + k]) / (na * nb);
            Assert.True(Math.Abs(e - v[(n * 4 + i) * 5 + j]) < 1e-5, $"[{n},{i},{j}] {e} vs {v[(n * 4 + i) * 5 + j]}");
        }
    }
}
