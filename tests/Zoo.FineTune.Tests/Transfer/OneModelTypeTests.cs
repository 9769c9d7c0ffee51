using Zoo.FineTune.Fitting;
using Zoo.FineTune.Freezing;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Tests.Support;
using Zoo.Formats;
using Zoo.Formats.Tests.Support;
using Zoo.Models;
using Zoo.Onnx.Export;
using Zoo.Onnx.Inference;

namespace Zoo.FineTune.Tests.Transfer;

/// <summary>
/// The library's workflow in one type: a <see cref="KerasModel"/> is loaded, frozen, fitted, saved and exported, and
/// predicts with what it learned in between — no second model object, no second reading of the file.
/// </summary>
public sealed class OneModelTypeTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private static readonly ArrayDataset Data = SyntheticData.Bars(24, seed: 7);

    private static float[] X4 => Data.X.AsSpan(0, 4 * 256).ToArray();

    [Fact]
    public void Load_freeze_fit_save_and_export_with_one_KerasModel()
    {
        var input = dir.File("model.h5");
        KerasFile.Save(TransferModels.Transfer(), input);

        using var model = KerasModel.Load(input);
        var report = model.Freeze(new FineTuneOptions { Policy = FreezePolicy.Small });
        var before = model.Predict(X4, [4, 16, 16, 1]);
        var history = model.Fit(Data, new FitOptions { Epochs = 2, BatchSize = 8, Optimizer = new Adam(0.01), Seed = 1 });
        var after = model.Predict(X4, [4, 16, 16, 1]);
        model.Save(dir.File("tuned.h5"));
        OnnxExporter.Save(model.ExportGraph(), dir.File("tuned.onnx"));

        Assert.Contains("small", report.ToString());
        Assert.Equal(["dense"], model.TrainableLayers);
        Assert.True(model.UsedFeatureCache);
        Assert.Equal(2, history["loss"].Count);
        Assert.NotEqual(before, after);
        var saved = KerasFile.Load(dir.File("tuned.h5"));
        Assert.NotNull(saved.TrainingConfig);
        Assert.NotEmpty(saved.OptimizerWeights);
        using (var reloaded = KerasModel.Load(dir.File("tuned.h5"))) Assert.Equal(after, reloaded.Predict(X4, [4, 16, 16, 1]));
        using var onnx = new OnnxPredictor(dir.File("tuned.onnx"));
        var viaOnnx = onnx.Predict(X4, [4, 16, 16, 1], out _);
        Assert.True(after.Zip(viaOnnx).Max(p => Math.Abs(p.First - p.Second)) <= 1e-5f);
    }

    [Fact]
    public void A_new_head_is_a_new_model_that_keeps_the_trained_base()
    {
        using var model = KerasModel.FromGraph(TransferModels.Transfer());
        using var threeClasses = model.ReplaceHead(3, seed: 4);
        threeClasses.Freeze(new FineTuneOptions { Policy = FreezePolicy.Small });

        Assert.Equal(3, threeClasses.Predict(X4, [4, 16, 16, 1]).Length / 4);
        Assert.DoesNotContain(WeightBytes.Changed(model.ExportGraph(), threeClasses.ExportGraph()), k => k.StartsWith("base/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cancelled_fit_stops_before_its_next_step()
    {
        using var model = KerasModel.FromGraph(TransferModels.Transfer());
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.Throws<OperationCanceledException>(() => model.Fit(Data, new FitOptions { Epochs = 3, BatchSize = 8, Cancellation = cancel.Token }));
    }

    [Fact]
    public void A_model_saves_to_and_loads_from_streams_with_the_bytes_of_a_file()
    {
        using var model = KerasModel.FromGraph(TransferModels.Transfer());
        var path = dir.File("m.keras");
        model.Save(path);
        using var buffer = new MemoryStream();
        model.Save(buffer, new SaveOptions { Format = Zoo.Formats.Ir.KerasFormat.KerasArchive });

        Assert.Equal(File.ReadAllBytes(path), buffer.ToArray());
        buffer.Position = 0;
        using var back = KerasModel.Load(buffer);
        Assert.Equal(model.Predict(X4, [4, 16, 16, 1]), back.Predict(X4, [4, 16, 16, 1]));
    }
}
