using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Normalization;

public class InstanceNormalizationTests
{
    private static float[] Hand(float[] x, int n, int positions, int c, float[] gamma, float[] beta, double eps)
    {
        var y = new float[x.Length];
        for (int b = 0; b < n; b++)
        for (int ch = 0; ch < c; ch++)
        {
            var idx = Enumerable.Range(0, positions).Select(p => (b * positions + p) * c + ch).ToArray();
            double mean = idx.Average(i => (double)x[i]);
            double variance = idx.Average(i => (x[i] - mean) * (x[i] - mean));
            foreach (var i in idx) y[i] = (float)((x[i] - mean) / Math.Sqrt(variance + eps) * gamma[ch] + beta[ch]);
        }
        return y;
    }

    [Theory]
    [InlineData("Addons>InstanceNormalization", "{\"axis\": -1, \"epsilon\": 0.001, \"center\": true, \"scale\": true, \"groups\": 2}")]
    [InlineData("GroupNormalization", "{\"groups\": -1, \"axis\": -1, \"epsilon\": 0.001}")]
    public void Instance_normalization_normalizes_each_sample_and_channel_over_its_positions(string cls, string config)
    {
        int n = 2, h = 3, w = 2, c = 4;
        var gamma = G.W("inorm", "gamma", [c], 1); var beta = G.W("inorm", "beta", [c], 2);
        var layer = G.Layer(cls, "inorm", config.Replace("}", $", \"batch_input_shape\": [null, {h}, {w}, {c}]}}"), gamma, beta);
        var x = G.Rand(n * h * w * c, 3, 3f);
        var y = G.Run(G.Sequential(layer), x, [n, h, w, c], out _);
        G.Close(Hand(x, n, h * w, c, gamma.ToFloat32(), beta.ToFloat32(), 1e-3), y);
    }
}
