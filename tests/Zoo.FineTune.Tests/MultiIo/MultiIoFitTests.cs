using Zoo.FineTune.Callbacks;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Losses;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Training;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.FineTune.Tests.MultiIo;

/// <summary>Fit on a functional model with two inputs and two outputs, against a hand computation.</summary>
public sealed class MultiIoFitTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("zoo-finetune-multi-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>a:[2] → Dense(2, softmax) "class_out"; concat(a, b:[3]) → Dense(1) "score_out".</summary>
    private static ModelGraph TwoByTwo()
    {
        var l = new LayerBuilder(seed: 5);
        var a = l.Input(new[] { 2 }, name: "a");
        var b = l.Input(new[] { 3 }, name: "b");
        var cls = l.Dense(2, activation: "softmax", name: "class_out")(a);
        var score = l.Dense(1, name: "score_out")(l.Concatenate(name: "cat")(a, b));
        return l.Model(new[] { a, b }, new[] { cls, score }, "two_by_two");
    }

    private static readonly float[] A = { 0.5f, -1f, 1.5f, 0.25f, -0.75f, 2f, 1f, -0.5f };
    private static readonly float[] B = { 1f, 0f, -1f, 0.5f, 0.5f, 0.5f, -2f, 1f, 0f, 0.25f, -0.5f, 1.5f };
    private static readonly float[] Labels = { 1, 0, 0, 1, 1, 0, 0, 1 };
    private static readonly float[] Scores = { 0.5f, -1f, 2f, 0f };

    private static MultiArrayDataset Data() => new(
        new[] { new SampleArray(A, new long[] { 4, 2 }), new SampleArray(B, new long[] { 4, 3 }) },
        new[] { new SampleArray(Labels, new long[] { 4, 2 }), new SampleArray(Scores, new long[] { 4, 1 }) });

    private static float[] Weight(ModelGraph g, string layer, string name) => g.GetLayer(layer).Weights.Single(w => w.Name.EndsWith(name + ":0", StringComparison.Ordinal)).ToFloat32();

    [Fact]
    public void One_SGD_step_on_the_weighted_sum_of_two_losses_matches_a_hand_computation()
    {
        var graph = TwoByTwo();
        const double lr = 0.1, w1 = 1.0, w2 = 0.5;
        var (k1, b1) = (Weight(graph, "class_out", "kernel"), Weight(graph, "class_out", "bias"));
        var (k2, b2) = (Weight(graph, "score_out", "kernel"), Weight(graph, "score_out", "bias"));

        // By hand, in double: softmax cross-entropy gradient (p − y)/N, MSE gradient 2(ŷ − y)/N, scaled by the loss weights.
        var gk1 = new double[4]; var gb1 = new double[2]; var gk2 = new double[5]; double gb2 = 0, ce = 0, mse = 0;
        double acc = 0;
        for (int n = 0; n < 4; n++)
        {
            double z0 = A[2 * n] * k1[0] + A[2 * n + 1] * k1[2] + b1[0], z1 = A[2 * n] * k1[1] + A[2 * n + 1] * k1[3] + b1[1];
            double m = Math.Max(z0, z1), e0 = Math.Exp(z0 - m), e1 = Math.Exp(z1 - m);
            double[] p = { e0 / (e0 + e1), e1 / (e0 + e1) };
            ce -= (Labels[2 * n] * Math.Log(p[0]) + Labels[2 * n + 1] * Math.Log(p[1])) / 4;
            acc += (p[1] > p[0] ? 1 : 0) == (Labels[2 * n + 1] > 0 ? 1 : 0) ? 0.25 : 0;
            for (int j = 0; j < 2; j++)
            {
                double d = w1 * (p[j] - Labels[2 * n + j]) / 4;
                gb1[j] += d;
                for (int i = 0; i < 2; i++) gk1[i * 2 + j] += A[2 * n + i] * d;
            }
            var features = new double[] { A[2 * n], A[2 * n + 1], B[3 * n], B[3 * n + 1], B[3 * n + 2] };
            double yhat = b2[0] + features.Select((f, i) => f * k2[i]).Sum();
            mse += (yhat - Scores[n]) * (yhat - Scores[n]) / 4;
            double ds = w2 * 2 * (yhat - Scores[n]) / 4;
            gb2 += ds;
            for (int i = 0; i < 5; i++) gk2[i] += features[i] * ds;
        }

        using var model = TrainableModel.FromGraph(graph, seed: 1);
        var history = model.Fit(Data(), new FitOptions
        {
            Epochs = 1, BatchSize = 4, Shuffle = false, Optimizer = new Sgd(lr),
            Losses = new[] { Loss.CategoricalCrossentropy, Loss.MeanSquaredError }, LossWeights = new[] { w1, w2 },
        });

        Assert.Equal(new[] { "class_out_accuracy", "class_out_loss", "loss", "score_out_accuracy", "score_out_loss" }, history.Values.Keys.Order());
        Assert.Equal(ce, history["class_out_loss"][0], 5);
        Assert.Equal(mse, history["score_out_loss"][0], 5);
        Assert.Equal(w1 * ce + w2 * mse, history["loss"][0], 5);
        Assert.Equal(acc, history["class_out_accuracy"][0], 6);
        var g = model.ExportGraph();
        AssertClose(k1.Select((v, i) => v - lr * gk1[i]), Weight(g, "class_out", "kernel"));
        AssertClose(b1.Select((v, i) => v - lr * gb1[i]), Weight(g, "class_out", "bias"));
        AssertClose(k2.Select((v, i) => v - lr * gk2[i]), Weight(g, "score_out", "kernel"));
        AssertClose(new[] { b2[0] - lr * gb2 }, Weight(g, "score_out", "bias"));
    }

    private static void AssertClose(IEnumerable<double> expected, float[] actual)
    {
        var e = expected.ToArray();
        Assert.Equal(e.Length, actual.Length);
        for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - actual[i]) < 1e-6, $"[{i}] expected {e[i]}, found {actual[i]}");
    }

    [Fact]
    public void Validation_logs_every_output_with_the_val_prefix_and_early_stopping_reads_them()
    {
        using var model = TrainableModel.FromGraph(TwoByTwo(), seed: 1);
        var history = model.Fit(Data(), new FitOptions
        {
            Epochs = 3, BatchSize = 2, Optimizer = new Sgd(0.05), Losses = new[] { Loss.CategoricalCrossentropy, Loss.MeanSquaredError },
            MultiValidationData = Data(),
        }, new EarlyStopping("val_score_out_loss", patience: 5));
        foreach (var key in new[] { "val_loss", "val_class_out_loss", "val_class_out_accuracy", "val_score_out_loss" })
            Assert.Equal(3, history[key].Count);
        var eval = model.Evaluate(Data(), new FitOptions { Losses = new[] { Loss.CategoricalCrossentropy, Loss.MeanSquaredError } });
        Assert.Equal(history["val_loss"][^1], eval["loss"], 6);
    }

    [Fact]
    public void Predict_returns_one_tensor_per_output_in_output_order()
    {
        using var model = TrainableModel.FromGraph(TwoByTwo(), seed: 1);
        using var a = TorchSharp.torch.tensor(A, new long[] { 4, 2 });
        using var b = TorchSharp.torch.tensor(B, new long[] { 4, 3 });
        var outs = model.Predict(new[] { a, b });
        Assert.Equal(new long[] { 4, 2 }, outs[0].shape);
        Assert.Equal(new long[] { 4, 1 }, outs[1].shape);
        foreach (var t in outs) t.Dispose();
    }

    [Fact]
    public void The_saved_training_config_keys_losses_and_loss_weights_by_output_name()
    {
        using var model = TrainableModel.FromGraph(TwoByTwo(), seed: 1);
        model.Fit(Data(), new FitOptions { Epochs = 1, Losses = new[] { Loss.CategoricalCrossentropy, Loss.MeanSquaredError }, LossWeights = new[] { 1.0, 0.25 } });
        var path = Path.Combine(dir, "multi.h5");
        model.Save(path);
        var tc = KerasFile.Load(path).TrainingConfig!;
        Assert.Equal("mean_squared_error", tc["loss"]!["score_out"]!.GetValue<string>());
        Assert.Equal(0.25, tc["loss_weights"]!["score_out"]!.GetValue<double>());
    }

    [Fact]
    public void Arrays_that_do_not_match_the_model_are_refused_with_the_input_name()
    {
        using var model = TrainableModel.FromGraph(TwoByTwo(), seed: 1);
        var wrong = new MultiArrayDataset(new[] { new SampleArray(A, new long[] { 4, 2 }), new SampleArray(new float[8], new long[] { 4, 2 }) }, Data().Y);
        var e = Assert.Throws<ModelFormatException>(() => model.Fit(wrong));
        Assert.Contains("'b'", e.Message);
        var missing = new MultiArrayDataset(Data().X, Data().Y.Take(1).ToArray());
        Assert.Throws<ModelFormatException>(() => model.Fit(missing));
    }
}
