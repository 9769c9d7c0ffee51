using Xunit.Abstractions;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Tests.Support;
using Zoo.FineTune.Training;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;
using Zoo.Models;
using Zoo.Models.Tests.Support;
using Zoo.Onnx.Export;
using Zoo.Onnx.Tests.Support;
using static TorchSharp.torch;

namespace Zoo.FineTune.Tests.Normalization;

/// <summary>
/// TFA WeightNormalization and Keras 3 / TFA SpectralNormalization inside a real <c>Fit</c>: the loss falls,
/// g and v train, u follows the power iteration and the kernel's spectral norm is driven to 1, the trained
/// weights still mean what the formulas say, and the saved file reloads to the same predictions.
/// </summary>
public class WeightAndSpectralNormalizationInFitTests(ITestOutputHelper log)
{
    private const string Conv1 = "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv_a\", \"filters\": 4, \"kernel_size\": [3, 3], \"strides\": [2, 2], \"padding\": \"same\", \"activation\": \"relu\", \"use_bias\": true}}";
    private const string Conv2 = "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv_b\", \"filters\": 4, \"kernel_size\": [3, 3], \"strides\": [2, 2], \"padding\": \"same\", \"activation\": \"relu\", \"use_bias\": true}}";
    private const string Head = "{\"class_name\": \"Dense\", \"config\": {\"name\": \"head\", \"units\": 2, \"activation\": \"softmax\", \"use_bias\": true}}";

    private static WeightTensor Flag(string layer) => new($"{layer}/initialized:0", Array.Empty<long>(), DType.Bool, new byte[] { 1 });

    /// <summary>Bars CNN: WN(Conv2D) → TFA SN(Conv2D, kernel σ well above 1) → GAP → WN(Dense softmax).</summary>
    private static ModelGraph Cnn()
    {
        var g = G.Sequential(
            G.Input("in", null, 16, 16, 1),
            G.Layer("Addons>WeightNormalization", "wn_conv", "{\"layer\": " + Conv1 + ", \"data_init\": false}",
                G.W("wn_conv", "g", [4], 1), G.W("wn_conv", "kernel", [3, 3, 1, 4], 2), G.W("wn_conv", "bias", [4], 3, 0.1f), Flag("wn_conv")),
            G.Layer("Addons>SpectralNormalization", "spectral", "{\"layer\": " + Conv2 + ", \"power_iterations\": 1}",
                G.W("spectral", "kernel", [3, 3, 4, 4], 4, 1.5f), G.W("spectral", "bias", [4], 5, 0.1f), G.W("spectral", "sn_u", [1, 4], 6)),
            G.Layer("GlobalAveragePooling2D", "gap", "{}"),
            G.Layer("Addons>WeightNormalization", "wn_head", "{\"layer\": " + Head + ", \"data_init\": false}",
                G.W("wn_head", "g", [2], 7), G.W("wn_head", "kernel", [4, 2], 8), G.W("wn_head", "bias", [2], 9, 0.1f), Flag("wn_head")));
        g.Metadata.KerasVersion = "2.15.0";
        return g;
    }

    private static float[] Weight(ModelGraph g, string layer, string name)
        => g.Layers.Single(l => l.Name == layer).Weights.Single(w => w.ShortName == name).ToFloat32();

    private static double SpectralNorm(float[] kernel, long units)
    {
        using var w = tensor(kernel).reshape(-1, units);
        return linalg.svdvals(w.to(float64))[0].item<double>();
    }

    /// <summary>g·v/‖v‖ per output unit, the norm over every axis but the last.</summary>
    private static float[] WeightNormKernel(float[] g, float[] v)
    {
        int units = g.Length;
        var k = new float[v.Length];
        for (int u = 0; u < units; u++)
        {
            double sq = 0;
            for (int i = u; i < v.Length; i += units) sq += (double)v[i] * v[i];
            for (int i = u; i < v.Length; i += units) k[i] = (float)(g[u] * v[i] / Math.Sqrt(sq));
        }
        return k;
    }

    /// <summary>The same network as plain Conv2D/Dense layers carrying the kernels the formulas give.</summary>
    private static ModelGraph PlainEquivalent(ModelGraph trained)
    {
        WeightTensor T(string layer, string name, long[] shape, float[] v) => WeightTensor.FromFloat32($"{layer}/{name}:0", shape, v);
        string Inner(string json) => G.Cfg(json)["config"]!.ToJsonString();
        return G.Sequential(
            G.Input("in", null, 16, 16, 1),
            G.Layer("Conv2D", "conv_a", Inner(Conv1), T("conv_a", "kernel", [3, 3, 1, 4], WeightNormKernel(Weight(trained, "wn_conv", "g"), Weight(trained, "wn_conv", "kernel"))),
                T("conv_a", "bias", [4], Weight(trained, "wn_conv", "bias"))),
            // At inference SpectralNormalization is the wrapped layer on the stored (already divided) kernel.
            G.Layer("Conv2D", "conv_b", Inner(Conv2), T("conv_b", "kernel", [3, 3, 4, 4], Weight(trained, "spectral", "kernel")), T("conv_b", "bias", [4], Weight(trained, "spectral", "bias"))),
            G.Layer("GlobalAveragePooling2D", "gap", "{}"),
            G.Layer("Dense", "head", Inner(Head), T("head", "kernel", [4, 2], WeightNormKernel(Weight(trained, "wn_head", "g"), Weight(trained, "wn_head", "kernel"))),
                T("head", "bias", [2], Weight(trained, "wn_head", "bias"))));
    }

    [Fact]
    public void A_short_Fit_trains_g_and_v_updates_u_drives_the_spectral_norm_to_1_and_the_saved_file_predicts_the_same()
    {
        var before = Cnn();
        double sigmaBefore = SpectralNorm(Weight(before, "spectral", "kernel"), 4);
        var data = SyntheticData.Bars(64, seed: 31);
        using var dir = new TempDir();
        var h5 = dir.File("normalized.h5");
        var x = SyntheticData.Bars(5, seed: 32).X;
        long[] shape = { 5, 16, 16, 1 };
        float[] trainedPrediction;
        History history;
        using (var model = TrainableModel.FromGraph(before, seed: 3))
        {
            history = model.Fit(data, new FitOptions { Epochs = 8, BatchSize = 16, Optimizer = new Adam(0.05) });
            // A last epoch at a negligible learning rate leaves the kernel as the last normalization wrote it, so
            // its σ shows whether kernel ← kernel/σ used a converged σ (Adam's steps above move it by up to ~0.2).
            model.Fit(data, new FitOptions { Epochs = 1, BatchSize = 16, Optimizer = new Sgd(1e-6) });
            trainedPrediction = model.Predict(x, shape);
            model.Save(h5);
        }
        var loss = history["loss"];
        log.WriteLine($"loss per epoch: {string.Join(", ", loss.Select(l => l.ToString("F4")))}");
        Assert.True(loss[^1] < loss[0] * 0.9, $"loss did not fall: {loss[0]} → {loss[^1]}");

        var after = Zoo.Formats.KerasFile.Load(h5);
        foreach (var layer in new[] { "wn_conv", "wn_head" })
        {
            Assert.NotEqual(Weight(before, layer, "g"), Weight(after, layer, "g"));
            Assert.NotEqual(Weight(before, layer, "kernel"), Weight(after, layer, "kernel"));
            Assert.Equal(new byte[] { 1 }, after.Layers.Single(l => l.Name == layer).Weights.Single(w => w.ShortName == "initialized").Data);
        }

        var u = Weight(after, "spectral", "sn_u");
        Assert.NotEqual(Weight(before, "spectral", "sn_u"), u);
        Assert.Equal(1.0, Math.Sqrt(u.Sum(v => (double)v * v)), 4);
        double sigmaAfter = SpectralNorm(Weight(after, "spectral", "kernel"), 4);
        log.WriteLine($"spectral norm of the SN kernel: {sigmaBefore:F3} before, {sigmaAfter:F3} after");
        Assert.True(sigmaBefore > 2, $"the test needs a kernel far from σ = 1, has {sigmaBefore}");
        Assert.True(Math.Abs(sigmaAfter - 1) < 0.05, $"σ after Fit is {sigmaAfter}, expected ≈ 1");

        using (var reloaded = KerasModel.Load(h5))
            Assert.Equal(trainedPrediction, reloaded.Predict(x, shape, out _));
        using (var plain = KerasModel.FromGraph(PlainEquivalent(after)))
            G.Close(trainedPrediction, plain.Predict(x, shape, out _));
    }

    [Fact]
    public void A_Keras_3_SpectralNormalization_trains_in_Fit_and_its_keras_archive_reloads_to_the_same_predictions()
    {
        const string dense = "{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\": \"hidden\", \"units\": 6, \"activation\": \"tanh\", \"use_bias\": true}, \"registered_name\": null}";
        var g = G.Sequential(
            G.Input("in", null, 2),
            G.Layer("SpectralNormalization", "spectral", "{\"layer\": " + dense + ", \"power_iterations\": 2}",
                G.W("spectral", "kernel", [2, 6], 11, 2f), G.W("spectral", "bias", [6], 12, 0.1f), G.W("spectral", "vector_u", [1, 6], 13)),
            G.Layer("Dense", "out", "{\"units\": 2, \"activation\": \"softmax\"}", G.W("out", "kernel", [6, 2], 14), G.W("out", "bias", [2], 15, 0.1f)));
        g.Metadata.Dialect = KerasDialectKind.Keras3;
        g.Metadata.KerasVersion = "3.6.0";
        double sigmaBefore = SpectralNorm(Weight(g, "spectral", "kernel"), 6);
        using var dir = new TempDir();
        var path = dir.File("spectral.keras");
        var x = SyntheticData.Blobs(7, seed: 41).X;
        float[] trainedPrediction;
        History history;
        using (var model = TrainableModel.FromGraph(g, seed: 2))
        {
            history = model.Fit(SyntheticData.Blobs(64, seed: 40), new FitOptions { Epochs = 8, BatchSize = 16, Optimizer = new Adam(0.02) });
            model.Fit(SyntheticData.Blobs(16, seed: 42), new FitOptions { Epochs = 1, BatchSize = 16, Optimizer = new Sgd(1e-6) });
            trainedPrediction = model.Predict(x, new long[] { 7, 2 });
            model.Save(path);
        }
        Assert.True(history["loss"][^1] < history["loss"][0], $"loss did not fall: {history["loss"][0]} → {history["loss"][^1]}");
        var after = Zoo.Formats.KerasFile.Load(path);
        // A .keras archive names variables by position (vars/0 kernel, vars/1 bias, vars/2 u).
        var stored = after.Layers.Single(l => l.Name == "spectral").Weights;
        var u = stored[2].ToFloat32();
        Assert.Equal(new long[] { 1, 6 }, stored[2].Shape);
        Assert.NotEqual(Weight(g, "spectral", "vector_u"), u);
        Assert.Equal(1.0, Math.Sqrt(u.Sum(v => (double)v * v)), 4);
        double sigmaAfter = SpectralNorm(stored[0].ToFloat32(), 6);
        log.WriteLine($"Keras 3 SN kernel σ: {sigmaBefore:F3} before, {sigmaAfter:F3} after");
        Assert.True(sigmaBefore > 1.5 && Math.Abs(sigmaAfter - 1) < 0.05, $"σ {sigmaBefore} → {sigmaAfter}, expected → 1");
        using var reloaded = KerasModel.Load(path);
        Assert.Equal(trainedPrediction, reloaded.Predict(x, new long[] { 7, 2 }, out _));
    }

    [Fact]
    public void A_WeightNormalization_still_waiting_for_its_data_init_initializes_in_Fit_and_then_exports_to_ONNX()
    {
        const string dense = "{\"class_name\": \"Dense\", \"config\": {\"name\": \"hidden\", \"units\": 5, \"activation\": \"relu\", \"use_bias\": true}}";
        var g = G.Sequential(
            G.Input("in", null, 2),
            G.Layer("Addons>WeightNormalization", "wn", "{\"layer\": " + dense + ", \"data_init\": true}",
                WeightTensor.FromFloat32("wn/g:0", [5], [1f, 1f, 1f, 1f, 1f]), G.W("wn", "kernel", [2, 5], 51), new WeightTensor("wn/bias:0", [5], DType.Float32, new byte[20]),
                new WeightTensor("wn/initialized:0", Array.Empty<long>(), DType.Bool, new byte[] { 0 }),
                G.W("wn/data_dep_init", "kernel", [2, 5], 52), new WeightTensor("wn/data_dep_init/bias:0", [5], DType.Float32, new byte[20])),
            G.Layer("Dense", "out", "{\"units\": 2, \"activation\": \"softmax\"}", G.W("out", "kernel", [5, 2], 53), G.W("out", "bias", [2], 54, 0.1f)));
        g.Metadata.KerasVersion = "2.15.0";
        Assert.Throws<Zoo.Formats.UnsupportedFeatureException>(() => OnnxExporter.Export(g));
        ModelGraph trained;
        History history;
        using (var model = TrainableModel.FromGraph(g, seed: 4))
        {
            history = model.Fit(SyntheticData.Blobs(64, seed: 50), new FitOptions { Epochs = 6, BatchSize = 16, Optimizer = new Adam(0.02) });
            trained = model.ExportGraph();
        }
        Assert.True(history["loss"][^1] < history["loss"][0], $"loss did not fall: {history["loss"][0]} → {history["loss"][^1]}");
        var wn = trained.Layers.Single(l => l.Name == "wn").Weights;
        Assert.Equal(new byte[] { 1 }, wn.Single(w => w.ShortName == "initialized").Data);
        Assert.NotEqual(new[] { 1f, 1f, 1f, 1f, 1f }, wn.Single(w => w.ShortName == "g" ).ToFloat32());
        var x = SyntheticData.Blobs(6, seed: 55).X;
        log.WriteLine($"ONNX Runtime vs Zoo after the in-Fit data init: {OnnxParity.AssertAgree(trained, new[] { (x, new long[] { 6, 2 }) }):E2}");
    }
}
