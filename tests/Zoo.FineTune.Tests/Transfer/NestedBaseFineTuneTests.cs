using Zoo.FineTune.Fitting;
using Zoo.FineTune.Freezing;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Tests.Support;
using Zoo.FineTune.Training;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;
using Zoo.Models;
using Zoo.Models.Tests.Support;

namespace Zoo.FineTune.Tests.Transfer;

/// <summary>
/// The most common Keras transfer-learning model — a pre-trained base used as a layer, called with
/// <c>training=False</c> — under every policy: what trains, what stays bit-identical, and whether the file written
/// afterwards is what Keras's positional loader (not only Zoo's by-name reader) loads correctly.
/// </summary>
public sealed class NestedBaseFineTuneTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private static readonly ArrayDataset Data = SyntheticData.Bars(24, seed: 7);

    // Prepares under the policy, fits two epochs with a rate large enough to move every trained weight, exports.
    private static (ModelGraph Trained, FreezeReport Report, bool Cached) Tune(ModelGraph graph, FreezePolicy policy, bool cache = true)
    {
        var (prepared, report) = Freezer.Prepare(graph, new FineTuneOptions { Policy = policy });
        using var model = TrainableModel.FromGraph(prepared, seed: 2);
        model.Fit(Data, new FitOptions { Epochs = 2, BatchSize = 8, Optimizer = new Sgd(0.1), CacheFrozenBase = cache });
        return (model.ExportGraph(), report, model.UsedFeatureCache);
    }

    private string Save(ModelGraph g, string name)
    {
        var path = dir.File(name);
        KerasFile.Save(g, path);
        return path;
    }

    private static float[] Predict(ModelGraph g)
    {
        using var model = KerasModel.FromGraph(g);
        return model.Predict(Data.X.AsSpan(0, 4 * 256).ToArray(), [4, 16, 16, 1]);
    }

    [SkippableFact]
    public void Small_trains_the_head_on_cached_base_features_and_writes_what_Keras_loads_by_position()
    {
        var original = TransferModels.Transfer();
        var (trained, _, cached) = Tune(original, FreezePolicy.Small);
        var path = Save(trained, "small.h5");

        Assert.True(cached, "a frozen base called with training=False is computed once");
        KerasPositionalLoader.AssertLoadsByPosition(path);
        var changed = WeightBytes.Changed(original, trained);
        Assert.DoesNotContain(changed, k => k.StartsWith("base/", StringComparison.Ordinal));
        Assert.Contains(changed, k => k.StartsWith("dense|", StringComparison.Ordinal));
        Assert.Equal(Predict(trained), Predict(KerasFile.Load(path)));
    }

    [SkippableFact]
    public void Medium_unfreezes_the_last_stage_inside_the_base_and_relists_its_weights_in_Keras_order()
    {
        var original = TransferModels.Transfer();
        var input = Save(original, "input.h5");
        var (trained, report, _) = Tune(KerasFile.Load(input), FreezePolicy.Medium);
        var path = Save(trained, "medium.h5");

        Assert.Contains("base/s3_conv", report.TrainableLayers);
        Assert.Contains("base/s2_conv", report.FrozenLayers);
        var loaded = KerasPositionalLoader.AssertLoadsByPosition(path);
        // The input listed every base weight as non-trainable; with s3 trainable now, its weights move to the front.
        var before = KerasPositionalLoader.AssertLoadsByPosition(input)["layers"]!["base"]!["stored"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        var after = loaded["layers"]!["base"]!["stored"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Equal(before.Order(), after.Order());
        Assert.StartsWith("s3_conv/kernel", after[0]);
        Assert.NotEqual(before, after);
        var changed = WeightBytes.Changed(original, trained);
        Assert.DoesNotContain(changed, k => k.StartsWith("base/s1_", StringComparison.Ordinal) || k.StartsWith("base/s2_", StringComparison.Ordinal));
        Assert.Contains("base/s3_conv|s3_conv/kernel:0", changed);
        Assert.Equal(Predict(trained), Predict(KerasFile.Load(path)));
    }

    [SkippableFact]
    public void Large_under_training_false_trains_every_weight_but_keeps_the_base_batch_norm_statistics()
    {
        var original = TransferModels.Transfer(training: false);
        var (trained, _, _) = Tune(original, FreezePolicy.Large);

        var changed = WeightBytes.Changed(original, trained);
        Assert.Contains("base/s1_conv|s1_conv/kernel:0", changed);
        Assert.Contains("base/s2_bn|s2_bn/gamma:0", changed);   // gradients still reach γ and β in inference mode
        Assert.DoesNotContain(changed, k => k.Contains("moving_", StringComparison.Ordinal));
        KerasPositionalLoader.AssertLoadsByPosition(Save(trained, "large.h5"));
    }

    [Fact]
    public void Large_without_a_training_argument_moves_the_base_batch_norm_statistics_as_Keras_does()
    {
        var original = TransferModels.Transfer(training: null);
        var (trained, _, _) = Tune(original, FreezePolicy.Large);

        Assert.Contains("base/s1_bn|s1_bn/moving_mean:0", WeightBytes.Changed(original, trained));
    }

    [Fact]
    public void Cached_and_uncached_small_training_give_the_same_history()
    {
        var (withCache, _, cached) = Tune(TransferModels.Transfer(), FreezePolicy.Small, cache: true);
        var (without, _, notCached) = Tune(TransferModels.Transfer(), FreezePolicy.Small, cache: false);

        Assert.True(cached);
        Assert.False(notCached);
        var a = WeightBytes.Of(withCache);
        var b = WeightBytes.Of(without);
        foreach (var key in new[] { "dense|dense/kernel:0", "dense|dense/bias:0" })
            G.Close(Floats(a[key]), Floats(b[key]), 1e-5f);
    }

    [SkippableFact]
    public void A_base_nested_two_deep_fine_tunes_under_medium_and_saves_in_Keras_order()
    {
        var original = TransferModels.TwoDeep();
        var (trained, report, _) = Tune(original, FreezePolicy.Medium);
        var path = Save(trained, "two_deep.h5");

        Assert.Contains("mid/base/s1_conv", report.FrozenLayers);
        KerasPositionalLoader.AssertLoadsByPosition(path);
        Assert.Equal(Predict(trained), Predict(KerasFile.Load(path)));
    }

    [SkippableFact]
    public void A_base_shared_by_two_inputs_fine_tunes_and_saves_in_Keras_order()
    {
        var original = TransferModels.SharedBase();
        var (prepared, _) = Freezer.Prepare(original, new FineTuneOptions { Policy = FreezePolicy.Small });
        using var model = TrainableModel.FromGraph(prepared, seed: 2);
        var x = new SampleArray(Data.X, Data.XShape);
        model.Fit(new MultiArrayDataset([x, x], [new SampleArray(Data.Y, Data.YShape)]), new FitOptions { Epochs = 1, BatchSize = 8, Optimizer = new Sgd(0.1) });
        var trained = model.ExportGraph();
        var path = Save(trained, "shared.h5");

        KerasPositionalLoader.AssertLoadsByPosition(path);
        Assert.DoesNotContain(WeightBytes.Changed(original, trained), k => k.StartsWith("base/", StringComparison.Ordinal));
        using var reloaded = KerasModel.Load(path);
        using var xt = TorchSharp.torch.tensor(Data.X.AsSpan(0, 256).ToArray(), [1, 16, 16, 1]);
        var expected = model.Predict([xt, xt])[0].data<float>().ToArray();
        Assert.Equal(expected, reloaded.Predict(xt, xt)[0].data<float>().ToArray());
    }

    [SkippableFact]
    public void A_Sequential_base_inside_a_Sequential_model_fine_tunes_and_saves_in_Keras_order()
    {
        var original = TransferModels.SequentialInSequential();
        var (trained, report, _) = Tune(original, FreezePolicy.Medium);
        var path = Save(trained, "seq_in_seq.h5");

        Assert.Contains("inner/s3_conv", report.TrainableLayers);
        KerasPositionalLoader.AssertLoadsByPosition(path);
        Assert.Equal(Predict(trained), Predict(KerasFile.Load(path)));
    }

    [Fact]
    public void A_Keras_3_archive_fine_tunes_directly_and_saves_as_keras_and_h5()
    {
        var input = Save(TransferModels.TransferKeras3(), "input.keras");
        var (prepared, _) = Freezer.Prepare(KerasFile.Load(input), new FineTuneOptions { Policy = FreezePolicy.Small, NewHeadClasses = 3, Seed = 1 });
        using var model = TrainableModel.FromGraph(prepared, seed: 2);
        var three = new ArrayDataset(Data.X, Data.XShape, Enumerable.Range(0, 24).SelectMany(i => new float[] { i % 3 == 0 ? 1 : 0, i % 3 == 1 ? 1 : 0, i % 3 == 2 ? 1 : 0 }).ToArray(), [24, 3]);
        model.Fit(three, new FitOptions { Epochs = 1, BatchSize = 8, Optimizer = new Adam(0.01) });
        var trained = model.ExportGraph();

        Assert.Equal(KerasDialectKind.Keras3, trained.Metadata.Dialect);
        var newHead = trained.Layers.Last();
        Assert.Equal("keras.layers", newHead.Extras["module"]!.GetValue<string>());
        var archive = Save(trained, "tuned.keras");
        var h5 = Save(trained, "tuned.h5");
        var expected = Predict(trained);
        Assert.Equal(expected, Predict(KerasFile.Load(archive)));
        Assert.Equal(expected, Predict(KerasFile.Load(h5)));
        // Keras 3's Adam over the two trainable variables (the new Dense's kernel and bias): iteration,
        // learning_rate, then momentum and velocity of each, interleaved, as optimizer/vars/0..5.
        var state = KerasFile.Load(archive).OptimizerWeights;
        Assert.Equal(["vars/0", "vars/1", "vars/2", "vars/3", "vars/4", "vars/5"], state.Select(w => w.ObjectPath));
        Assert.Equal(DType.Int64, state[0].DType);
        Assert.Equal(3L, BitConverter.ToInt64(state[0].Data));                        // 24 samples in batches of 8
        Assert.Equal(0.01f, BitConverter.ToSingle(state[1].Data));
        Assert.Equal(newHead.Weights[0].Shape, state[2].Shape);                       // kernel's momentum
        Assert.Equal(newHead.Weights[0].Shape, state[3].Shape);                       // kernel's velocity
        Assert.Equal(newHead.Weights[1].Shape, state[4].Shape);
    }

    private static float[] Floats(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
