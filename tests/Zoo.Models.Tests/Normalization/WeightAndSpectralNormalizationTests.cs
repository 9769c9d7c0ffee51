using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Models.Tests.Support;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.Models.Tests.Normalization;

public class WeightAndSpectralNormalizationTests
{
    private const string Dense3 = "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 3, \"activation\": \"linear\", \"use_bias\": true}}";

    private static WeightTensor Flag(string layer, bool on) => new($"{layer}/initialized:0", Array.Empty<long>(), DType.Bool, new[] { (byte)(on ? 1 : 0) });

    /// <summary>g·v/‖v‖ by hand: column j of v (in, units) scaled by g[j]/‖v[:, j]‖.</summary>
    private static float[] HandKernel(float[] g, float[] v, int rows, int units)
    {
        var k = new float[v.Length];
        for (int j = 0; j < units; j++)
        {
            double n = Math.Sqrt(Enumerable.Range(0, rows).Sum(i => (double)v[i * units + j] * v[i * units + j]));
            for (int i = 0; i < rows; i++) k[i * units + j] = (float)(g[j] * v[i * units + j] / n);
        }
        return k;
    }

    [Fact]
    public void WeightNormalization_dense_computes_x_times_g_v_over_norm_v_plus_bias()
    {
        var g = G.W("wn", "g", [3], 1); var v = G.W("wn", "kernel", [2, 3], 2); var b = G.W("wn", "bias", [3], 3);
        var layer = G.Layer("Addons>WeightNormalization", "wn", "{\"layer\": " + Dense3 + ", \"data_init\": false, \"batch_input_shape\": [null, 2]}", g, v, b, Flag("wn", true));
        var x = G.Rand(4 * 2, 4, 2f);
        var y = G.Run(G.Sequential(layer), x, [4, 2], out _);
        var k = HandKernel(g.ToFloat32(), v.ToFloat32(), 2, 3);
        var bias = b.ToFloat32();
        var expected = new float[4 * 3];
        for (int n = 0; n < 4; n++) for (int j = 0; j < 3; j++) expected[n * 3 + j] = x[n * 2] * k[j] + x[n * 2 + 1] * k[3 + j] + bias[j];
        G.Close(expected, y);
    }

    [Fact]
    public void WeightNormalization_conv2d_equals_a_plain_conv2d_with_the_normalized_kernel()
    {
        var conv = "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c\", \"filters\": 2, \"kernel_size\": [2, 2], \"strides\": [2, 2], \"padding\": \"same\", \"activation\": \"relu\", \"use_bias\": true}}";
        var g = G.W("wn", "g", [2], 5); var v = G.W("wn", "kernel", [2, 2, 3, 2], 6); var b = G.W("wn", "bias", [2], 7);
        var wn = G.Layer("Addons>WeightNormalization", "wn", "{\"layer\": " + conv + ", \"data_init\": false, \"batch_input_shape\": [null, 5, 5, 3]}", g, v, b, Flag("wn", true));
        var kernel = WeightTensor.FromFloat32("c/kernel:0", [2, 2, 3, 2], HandKernel(g.ToFloat32(), v.ToFloat32(), 12, 2));
        var plain = G.Layer("Conv2D", "c", "{\"filters\": 2, \"kernel_size\": [2, 2], \"strides\": [2, 2], \"padding\": \"same\", \"activation\": \"relu\", \"use_bias\": true, \"batch_input_shape\": [null, 5, 5, 3]}",
            kernel, WeightTensor.FromFloat32("c/bias:0", [2], b.ToFloat32()));
        var x = G.Rand(2 * 5 * 5 * 3, 8, 2f);
        G.Close(G.Run(G.Sequential(plain), x, [2, 5, 5, 3], out _), G.Run(G.Sequential(wn), x, [2, 5, 5, 3], out _));
    }

    [Fact]
    public void WeightNormalization_gradients_reach_g_and_v_as_the_chain_rule_gives()
    {
        // L = Σ y with y = x·W + b, W_ij = g_j v_ij / n_j: dL/dg_j = Σ_i s_i v_ij / n_j and
        // dL/dv_ij = g_j (s_i / n_j − v_ij Σ_k s_k v_kj / n_j³), where s_i = Σ_batch x_bi.
        var spec = (WeightNormalizationSpec)LayerSpecs.Read(G.Layer("Addons>WeightNormalization", "wn", "{\"layer\": " + Dense3 + ", \"data_init\": false}"));
        using var layer = new WeightNormalizationLowering(spec);
        layer.Build([[4, 2]]);
        float[] gv = [0.5f, -1.5f, 2f], vv = [0.3f, -0.2f, 0.7f, 0.4f, 0.9f, -0.6f];
        layer.Load([tensor(gv), tensor(vv, [2, 3]), zeros(3), ones(Array.Empty<long>())]);
        var w = layer.TrainableTensors;
        w[0].requires_grad_(true); w[1].requires_grad_(true);
        float[] xv = [1f, 2f, -0.5f, 0.25f, 3f, -1f, 0.5f, 0.5f];
        layer.Forward(tensor(xv, [4, 2])).sum().backward();
        double[] s = [xv[0] + xv[2] + xv[4] + xv[6], xv[1] + xv[3] + xv[5] + xv[7]];
        var gradG = w[0].grad!.data<float>().ToArray();
        var gradV = w[1].grad!.data<float>().ToArray();
        for (int j = 0; j < 3; j++)
        {
            double n = Math.Sqrt(vv[j] * vv[j] + vv[3 + j] * vv[3 + j]);
            double sv = s[0] * vv[j] + s[1] * vv[3 + j];
            Assert.Equal(sv / n, gradG[j], 4);
            for (int i = 0; i < 2; i++)
                Assert.Equal(gv[j] * (s[i] / n - vv[i * 3 + j] * sv / (n * n * n)), gradV[i * 3 + j], 4);
        }
    }

    [Fact]
    public void WeightNormalization_data_init_sets_g_and_bias_from_the_first_batch_through_the_clone()
    {
        var g = WeightTensor.FromFloat32("wn/g:0", [3], [1f, 2f, 0.5f]);
        var v = G.W("wn", "kernel", [2, 3], 11); var b = G.W("wn", "bias", [3], 12);
        var cloneK = G.W("wn/data_dep_init", "kernel", [2, 3], 13); var cloneB = G.W("wn/data_dep_init", "bias", [3], 14);
        var layer = G.Layer("Addons>WeightNormalization", "wn", "{\"layer\": " + Dense3 + ", \"data_init\": true, \"batch_input_shape\": [null, 2]}", g, v, b, Flag("wn", false), cloneK, cloneB);
        var x = G.Rand(5 * 2, 15, 2f);
        using var model = KerasModel.FromGraph(G.Sequential(layer));
        model.Predict(x, [5, 2], out _);
        var after = model.ExportGraph().Layers[0].Weights;
        var ck = cloneK.ToFloat32(); var cb = cloneB.ToFloat32();
        for (int j = 0; j < 3; j++)
        {
            var col = Enumerable.Range(0, 5).Select(n => (double)x[n * 2] * ck[j] + x[n * 2 + 1] * ck[3 + j] + cb[j]).ToArray();
            double mean = col.Average(), scale = 1 / Math.Sqrt(col.Average(c => (c - mean) * (c - mean)) + 1e-10);
            Assert.Equal(g.ToFloat32()[j] * scale, after[0].ToFloat32()[j], 4);
            Assert.Equal(-mean * scale, after[2].ToFloat32()[j], 4);
        }
        Assert.Equal(new byte[] { 1 }, after[3].Data);
        Assert.Equal(v.Data, after[1].Data);
    }

    [Fact]
    public void WeightNormalization_without_data_init_starts_with_g_equal_to_the_kernel_norm()
    {
        var v = G.W("wn", "kernel", [2, 3], 21); var b = G.W("wn", "bias", [3], 22);
        var layer = G.Layer("Addons>WeightNormalization", "wn", "{\"layer\": " + Dense3 + ", \"data_init\": false, \"batch_input_shape\": [null, 2]}",
            WeightTensor.FromFloat32("wn/g:0", [3], [1f, 1f, 1f]), v, b, Flag("wn", false));
        var plain = G.Layer("Dense", "d", "{\"units\": 3, \"batch_input_shape\": [null, 2]}", WeightTensor.FromFloat32("d/kernel:0", [2, 3], v.ToFloat32()), WeightTensor.FromFloat32("d/bias:0", [3], b.ToFloat32()));
        var x = G.Rand(3 * 2, 23);
        using var model = KerasModel.FromGraph(G.Sequential(layer));
        var y = model.Predict(x, [3, 2], out _);
        var vk = v.ToFloat32();
        var g = model.ExportGraph().Layers[0].Weights[0].ToFloat32();
        for (int j = 0; j < 3; j++) Assert.Equal(Math.Sqrt(vk[j] * vk[j] + vk[3 + j] * vk[3 + j]), g[j], 5);
        G.Close(G.Run(G.Sequential(plain), x, [3, 2], out _), y);
    }

    [Fact]
    public void SpectralNormalization_runs_the_wrapped_layer_unchanged_at_inference()
    {
        var k = G.W("sn", "kernel", [2, 3], 31); var b = G.W("sn", "bias", [3], 32);
        var layer = G.Layer("SpectralNormalization", "spectral", "{\"layer\": " + Dense3 + ", \"power_iterations\": 1, \"batch_input_shape\": [null, 2]}", k, b, G.W("sn", "vector_u", [1, 3], 33));
        var plain = G.Layer("Dense", "d", "{\"units\": 3, \"batch_input_shape\": [null, 2]}", WeightTensor.FromFloat32("d/kernel:0", [2, 3], k.ToFloat32()), WeightTensor.FromFloat32("d/bias:0", [3], b.ToFloat32()));
        var x = G.Rand(3 * 2, 34);
        G.Close(G.Run(G.Sequential(plain), x, [3, 2], out _), G.Run(G.Sequential(layer), x, [3, 2], out _));
    }

    [Fact]
    public void One_power_iteration_gives_the_hand_computed_u_and_sigma()
    {
        double[,] w = { { 1, 2 }, { 3, -1 }, { 0.5, 0 } };   // (−1, units) = (3, 2)
        double[] u = { 0.6, 0.8 };
        var wu = new double[3];
        for (int i = 0; i < 3; i++) wu[i] = w[i, 0] * u[0] + w[i, 1] * u[1];
        double nv = Math.Sqrt(wu.Sum(a => a * a));
        var v = wu.Select(a => a / nv).ToArray();
        var vw = new double[2];
        for (int j = 0; j < 2; j++) vw[j] = Enumerable.Range(0, 3).Sum(i => v[i] * w[i, j]);
        double nu = Math.Sqrt(vw.Sum(a => a * a));
        var u1 = vw.Select(a => a / nu).ToArray();
        double sigma = vw[0] * u1[0] + vw[1] * u1[1];

        var (newU, s) = SpectralNormalizationLowering.PowerIteration(tensor(new float[] { 1, 2, 3, -1, 0.5f, 0 }, [3, 2]), tensor(new float[] { 0.6f, 0.8f }, [1, 2]), 1, 1e-14);
        Assert.Equal(u1[0], newU.data<float>()[0], 5);
        Assert.Equal(u1[1], newU.data<float>()[1], 5);
        Assert.Equal(sigma, s.item<float>(), 5);
    }

    [Fact]
    public void Repeated_power_iterations_divide_the_kernel_by_its_largest_singular_value()
    {
        // W = [[3, 0], [4, 5]]: WᵀW = [[25, 20], [20, 25]] has eigenvalues 45 and 5, so σ_max = √45.
        var spec = (SpectralNormalizationSpec)LayerSpecs.Read(G.Layer("SpectralNormalization", "sn", "{\"layer\": " + Dense3.Replace("3,", "2,") + ", \"power_iterations\": 30}"));
        var kernel = tensor(new float[] { 3, 0, 4, 5 }, [2, 2]);
        var u = tensor(new float[] { 1, 0 }, [1, 2]);
        SpectralNormalizationLowering.NormalizeInPlace(spec, kernel, u);
        var k = kernel.data<float>().ToArray();
        float[] expected = [3, 0, 4, 5];
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i] / Math.Sqrt(45), k[i], 5);
        Assert.Equal(1, u.square().sum().item<float>(), 5);
    }

    [Fact]
    public void SpectralNormalization_leaves_an_all_zero_kernel_alone_as_Keras_3_does()
    {
        var spec = (SpectralNormalizationSpec)LayerSpecs.Read(G.Layer("SpectralNormalization", "sn", "{\"layer\": " + Dense3 + "}"));
        var kernel = zeros(2, 3);
        var u = tensor(new float[] { 0.1f, 0.2f, 0.3f }, [1, 3]);
        SpectralNormalizationLowering.NormalizeInPlace(spec, kernel, u);
        Assert.Equal(new float[] { 0.1f, 0.2f, 0.3f }, u.data<float>().ToArray());
        Assert.Equal(0, kernel.abs().sum().item<float>());
    }
}
