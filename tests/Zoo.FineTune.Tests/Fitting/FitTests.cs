using Zoo.FineTune.Fitting;
using Zoo.Formats.Ir;
using Zoo.FineTune.Freezing;
using Zoo.FineTune.Losses;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Tests.Support;
using Zoo.FineTune.Training;

namespace Zoo.FineTune.Tests.Fitting;

/// <summary>The fit loop's Keras semantics: splitting, weighting, determinism, logged values, learning.</summary>
public class FitTests
{
    [Fact]
    public void Validation_split_takes_the_last_fraction_before_shuffling_with_keras_flooring()
    {
        var data = new ArrayDataset(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), new long[] { 10, 1 },
            Enumerable.Range(0, 10).Select(i => (float)(i % 2)).ToArray(), new long[] { 10 });
        var (train, val) = data.SplitForValidation(0.25);
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5, 6 }, train.X);   // ⌊10 · 0.75⌋ = 7
        Assert.Equal(new float[] { 7, 8, 9 }, val.X);
        Assert.Equal(new long[] { 3 }, val.YShape);
    }

    [Fact]
    public void Targets_that_do_not_match_the_output_are_refused_with_both_shapes_named()
    {
        using var model = TrainableModel.FromGraph(TinyModels.Mlp(classes: 2));
        var bad = new ArrayDataset(new float[8], new long[] { 4, 2 }, new float[12], new long[] { 4, 3 });
        var e = Assert.Throws<Zoo.Formats.ModelFormatException>(() => model.Fit(bad));
        Assert.Contains("y has samples of shape [3], but the model outputs [2]", e.Message, StringComparison.Ordinal);
        var wrongInput = new ArrayDataset(new float[12], new long[] { 4, 3 }, new float[8], new long[] { 4, 2 });
        var e2 = Assert.Throws<Zoo.Formats.ModelFormatException>(() => model.Fit(wrongInput));
        Assert.Contains("x has samples of shape [3]", e2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_weights_and_history()
    {
        ModelGraph Train(out History h)
        {
            using var model = TrainableModel.FromGraph(Freezer.Prepare(TinyModels.Cnn(), new FineTuneOptions { Policy = FreezePolicy.Large }).Graph, seed: 9);
            h = model.Fit(SyntheticData.Bars(48, seed: 3), new FitOptions { Epochs = 2, BatchSize = 16, Optimizer = new Adam(0.01) });
            return model.ExportGraph();
        }
        var a = Train(out var ha);
        var b = Train(out var hb);
        Assert.Empty(WeightBytes.Changed(a, b));
        Assert.Equal(ha["loss"], hb["loss"]);
    }

    [Fact]
    public void Class_weights_scale_each_samples_loss_and_divide_by_the_batch_size()
    {
        var graph = TinyModels.Mlp(seed: 2);
        foreach (var l in graph.Layers) l.Trainable = false;   // nothing trains: the logged loss is the weighted mean
        using var model = TrainableModel.FromGraph(graph);
        var data = SyntheticData.Blobs(20, seed: 4);
        var weights = new Dictionary<int, double> { [0] = 3.0, [1] = 0.5 };
        var history = model.Fit(data, new FitOptions { Epochs = 1, BatchSize = 6, ClassWeight = weights });
        var p = model.Predict(data.X, data.XShape);
        double expected = 0;
        for (int i = 0; i < 20; i++)
        {
            int cls = data.Y[i * 2 + 1] == 1 ? 1 : 0;
            expected += weights[cls] * -Math.Log(Math.Clamp(p[i * 2 + cls] / (p[i * 2] + p[i * 2 + 1]), 1e-7, 1 - 1e-7));
        }
        Assert.Equal(expected / 20, history["loss"][0], 5);
    }

    [Fact]
    public void Validation_data_is_scored_in_inference_mode_like_evaluate()
    {
        using var model = TrainableModel.FromGraph(TinyModels.Cnn(), seed: 1);
        var train = SyntheticData.Bars(32, seed: 1);
        var val = SyntheticData.Bars(24, seed: 2);
        var h = model.Fit(train, new FitOptions { Epochs = 1, BatchSize = 8, ValidationData = val, Optimizer = new Sgd(0.01) });
        var (loss, acc) = model.Evaluate(val, Loss.CategoricalCrossentropy, batchSize: 5);
        Assert.Equal(loss, h["val_loss"][0], 5);
        Assert.Equal(acc, h["val_accuracy"][0], 10);
    }

    [Fact]
    public void Fine_tuning_everything_learns_the_synthetic_bars_to_95_percent()
    {
        var data = SyntheticData.Bars(240, seed: 8, sparse: true);
        var (graph, _) = Freezer.Prepare(TinyModels.Cnn(), new FineTuneOptions { Policy = FreezePolicy.Large });
        using var model = TrainableModel.FromGraph(graph, seed: 4);
        var h = model.Fit(data, new FitOptions
        {
            Epochs = 8, BatchSize = 16, ValidationSplit = 0.2, Optimizer = new Adam(0.01), Loss = Loss.SparseCategoricalCrossentropy,
        });
        Assert.True(h["val_accuracy"][^1] >= 0.95, $"val_accuracy per epoch: {string.Join(", ", h["val_accuracy"])}");
        Assert.True(h["loss"][^1] < h["loss"][0]);
    }

    [Fact]
    public void A_trainable_batch_norm_moves_its_statistics_by_kerass_momentum_rule()
    {
        var (graph, _) = Freezer.Prepare(TinyModels.Cnn(), new FineTuneOptions { Policy = FreezePolicy.Large });
        using var model = TrainableModel.FromGraph(graph, seed: 4);
        var data = SyntheticData.Bars(8, seed: 8);
        // Input of s1_bn is s1_conv's output: compute its batch mean before the step (lr 0 keeps the kernel).
        using var km = Zoo.Models.KerasModel.FromGraph(graph);
        using var x = TorchSharp.torch.tensor(data.X, data.XShape);
        var acts = km.PredictActivations(x);
        var mean = acts["s1_conv"].mean(new long[] { 0, 1, 2 }).data<float>().ToArray();
        var variance = acts["s1_conv"].var(new long[] { 0, 1, 2 }, unbiased: false).data<float>().ToArray();
        model.Fit(data, new FitOptions { Epochs = 1, BatchSize = 8, Shuffle = false, Optimizer = new Sgd(0) });
        var bn = model.ExportGraph().GetLayer("s1_bn");
        var movingMean = bn.Weights.Single(w => w.Name.Contains("moving_mean", StringComparison.Ordinal)).ToFloat32();
        var movingVar = bn.Weights.Single(w => w.Name.Contains("moving_variance", StringComparison.Ordinal)).ToFloat32();
        for (int c = 0; c < mean.Length; c++)
        {
            Assert.Equal(0.99 * 0 + 0.01 * mean[c], movingMean[c], 6);
            Assert.Equal(0.99 * 1 + 0.01 * variance[c], movingVar[c], 6);
        }
        foreach (var t in acts.Values) t.Dispose();
    }
}
