using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Normalization;

/// <summary>
/// Inference of the four Zoo normalizations against their defining formulas, computed here with plain loops on a
/// (2, 2, 2, 3) input in NHWC.
/// </summary>
public class ZooNormalizationForwardTests
{
    internal const int N = 2, H = 2, W = 2, C = 3, S = H * W;
    internal static readonly long[] Shape = [N, H, W, C];
    internal const double Eps = 1e-3;

    internal static float[] X() => G.Rand(N * S * C, 11, 2f).Select((v, i) => v + i % C).ToArray();

    internal static double At(float[] x, int n, int s, int c) => x[(n * S + s) * C + c];

    /// <summary>Each sample's mean and biased variance of channel c over its spatial positions.</summary>
    internal static (double Mean, double Var) Instance(float[] x, int n, int c)
    {
        double m = Enumerable.Range(0, S).Average(s => At(x, n, s, c));
        return (m, Enumerable.Range(0, S).Average(s => Math.Pow(At(x, n, s, c) - m, 2)));
    }

    internal static ModelGraph One(LayerNode layer)
        => G.Sequential(G.Layer("InputLayer", "in", "{\"batch_input_shape\": [null, 2, 2, 3]}"), layer);

    internal static WeightTensor Vec(string layer, string name, params float[] v) => WeightTensor.FromFloat32($"{layer}/{name}:0", [v.Length], v);

    [Fact]
    public void Batch_instance_normalization_mixes_moving_BN_and_instance_statistics_with_rho_clipped_to_0_1()
    {
        float[] gamma = [1.5f, -0.5f, 2f], beta = [0.1f, 0.2f, -0.3f], rho = [1.7f, -0.2f, 0.3f], mm = [0.5f, 1f, 2f], mv = [2f, 0.5f, 1.5f];
        var layer = G.Layer("Zoo>BatchInstanceNormalization", "bin", "{\"axis\": -1, \"epsilon\": 0.001, \"momentum\": 0.9}",
            Vec("bin", "gamma", gamma), Vec("bin", "beta", beta), Vec("bin", "rho", rho), Vec("bin", "moving_mean", mm), Vec("bin", "moving_variance", mv));
        var x = X();
        var y = G.Run(One(layer), x, Shape, out _);
        for (int n = 0; n < N; n++)
            for (int c = 0; c < C; c++)
            {
                var (im, iv) = Instance(x, n, c);
                double r = Math.Clamp(rho[c], 0, 1);
                for (int s = 0; s < S; s++)
                {
                    double bn = (At(x, n, s, c) - mm[c]) / Math.Sqrt(mv[c] + Eps);
                    double inorm = (At(x, n, s, c) - im) / Math.Sqrt(iv + Eps);
                    Assert.Equal((r * bn + (1 - r) * inorm) * gamma[c] + beta[c], y[(n * S + s) * C + c], 4);
                }
            }
    }

    [Fact]
    public void Switchable_normalization_mixes_instance_layer_and_moving_batch_statistics_by_softmax_weights()
    {
        float[] gamma = [1.5f, -0.5f, 2f], beta = [0.1f, 0.2f, -0.3f], mm = [0.5f, 1f, 2f], mv = [2f, 0.5f, 1.5f];
        float[] lm = [0.3f, -1f, 0.5f], lv = [1f, 0.2f, -0.4f];
        var layer = G.Layer("Zoo>SwitchableNormalization", "swn", "{\"axis\": -1, \"epsilon\": 0.001}",
            Vec("swn", "gamma", gamma), Vec("swn", "beta", beta), Vec("swn", "mean_weights", lm), Vec("swn", "variance_weights", lv),
            Vec("swn", "moving_mean", mm), Vec("swn", "moving_variance", mv));
        var x = X();
        var y = G.Run(One(layer), x, Shape, out _);
        var wm = Softmax(lm);
        var wv = Softmax(lv);
        for (int n = 0; n < N; n++)
        {
            // Layer statistics straight from the definition: over every spatial position and channel of the sample.
            var all = Enumerable.Range(0, S * C).Select(i => (double)x[n * S * C + i]).ToArray();
            double lnMean = all.Average(), lnVar = all.Average(v => (v - lnMean) * (v - lnMean));
            for (int c = 0; c < C; c++)
            {
                var (im, iv) = Instance(x, n, c);
                double mean = wm[0] * im + wm[1] * lnMean + wm[2] * mm[c];
                double variance = wv[0] * iv + wv[1] * lnVar + wv[2] * mv[c];
                for (int s = 0; s < S; s++)
                    Assert.Equal((At(x, n, s, c) - mean) / Math.Sqrt(variance + Eps) * gamma[c] + beta[c], y[(n * S + s) * C + c], 4);
            }
        }
    }

    [Fact]
    public void Online_normalization_at_inference_normalizes_with_the_stored_estimates()
    {
        float[] gamma = [1.5f, -0.5f, 2f], beta = [0.1f, 0.2f, -0.3f], mm = [0.5f, 1f, 2f], mv = [2f, 0.5f, 1.5f];
        var layer = G.Layer("Zoo>OnlineNormalization", "on", "{\"axis\": -1, \"epsilon\": 0.001, \"alpha_fwd\": 0.9}",
            Vec("on", "gamma", gamma), Vec("on", "beta", beta), Vec("on", "moving_mean", mm), Vec("on", "moving_variance", mv));
        var x = X();
        var y = G.Run(One(layer), x, Shape, out _);
        for (int i = 0; i < x.Length; i++)
        {
            int c = i % C;
            Assert.Equal((x[i] - mm[c]) / Math.Sqrt(mv[c] + Eps) * gamma[c] + beta[c], y[i], 4);
        }
    }

    [Fact]
    public void Cosine_normalized_dense_outputs_the_cosine_of_bias_extended_weight_and_input_vectors()
    {
        var kernel = G.Rand(C * 2, 5);
        float[] bias = [0.4f, -0.7f];
        var layer = G.Layer("Zoo>CosineNormalization", "cos", "{\"epsilon\": 0.0, \"layer\": {\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2, \"activation\": \"linear\", \"use_bias\": true}}}",
            WeightTensor.FromFloat32("cos/kernel:0", [C, 2], kernel), WeightTensor.FromFloat32("cos/bias:0", [2], bias));
        var g = G.Sequential(G.Layer("InputLayer", "in", "{\"batch_input_shape\": [null, 3]}"), layer);
        var x = G.Rand(2 * C, 6, 3f);
        var y = G.Run(g, x, [2, C], out _);
        for (int n = 0; n < 2; n++)
            for (int u = 0; u < 2; u++)
            {
                double dot = bias[u], ww = bias[u] * bias[u], xx = 1;
                for (int i = 0; i < C; i++) { dot += x[n * C + i] * kernel[i * 2 + u]; ww += kernel[i * 2 + u] * kernel[i * 2 + u]; xx += x[n * C + i] * x[n * C + i]; }
                Assert.Equal(dot / Math.Sqrt(ww * xx), y[n * 2 + u], 5);
                Assert.InRange(y[n * 2 + u], -1f, 1f);
            }
    }

    [Fact]
    public void Cosine_normalized_same_padded_conv_divides_by_each_zero_padded_patch_norm()
    {
        const int F = 2, K = 2;
        var kernel = G.Rand(K * K * C * F, 8);
        var layer = G.Layer("Zoo>CosineNormalization", "cos", "{\"layer\": {\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c\", \"filters\": 2, \"kernel_size\": [2, 2], \"padding\": \"same\", \"activation\": \"relu\", \"use_bias\": false}}}",
            WeightTensor.FromFloat32("cos/kernel:0", [K, K, C, F], kernel));
        var x = X();
        var y = G.Run(One(layer), x, Shape, out var outShape);
        Assert.Equal(new long[] { N, H, W, F }, outShape);
        for (int n = 0; n < N; n++)
            for (int h = 0; h < H; h++)
                for (int w = 0; w < W; w++)
                    for (int f = 0; f < F; f++)
                    {
                        // TF "same" with a 2×2 kernel, stride 1: the extra row and column are padded at the bottom/right.
                        double dot = 0, ww = 0, xx = 0;
                        for (int i = 0; i < K; i++)
                            for (int j = 0; j < K; j++)
                                for (int c = 0; c < C; c++)
                                {
                                    double k = kernel[((i * K + j) * C + c) * F + f];
                                    ww += k * k;
                                    if (h + i >= H || w + j >= W) continue;
                                    double v = At(x, n, (h + i) * W + w + j, c);
                                    dot += k * v;
                                    xx += v * v;
                                }
                        double expected = Math.Max(0, dot / (Math.Sqrt(ww) * Math.Sqrt(xx) + 1e-7));
                        Assert.Equal(expected, y[((n * H + h) * W + w) * F + f], 5);
                    }
    }

    [Fact]
    public void A_Zoo_normalization_on_an_input_without_spatial_axes_is_refused_naming_the_layer()
    {
        var layer = G.Layer("Zoo>BatchInstanceNormalization", "bin", "{}",
            Vec("bin", "gamma", 1, 1, 1), Vec("bin", "beta", 0, 0, 0), Vec("bin", "rho", 1, 1, 1), Vec("bin", "moving_mean", 0, 0, 0), Vec("bin", "moving_variance", 1, 1, 1));
        var g = G.Sequential(G.Layer("InputLayer", "in", "{\"batch_input_shape\": [null, 3]}"), layer);
        var e = Assert.Throws<UnsupportedFeatureException>(() => G.Run(g, new float[3], [1, 3], out _));
        Assert.Contains("bin", e.Message);
        Assert.Contains("spatial", e.Message);
    }

    internal static double[] Softmax(float[] v)
    {
        var e = v.Select(a => Math.Exp(a - v.Max())).ToArray();
        return e.Select(a => a / e.Sum()).ToArray();
    }
}
