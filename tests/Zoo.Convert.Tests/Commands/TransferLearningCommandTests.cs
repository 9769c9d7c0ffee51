using Zoo.Convert.Tests.Support;
using Zoo.FineTune.Tests.Transfer;
using Zoo.Formats;
using Zoo.Formats.Dialects;
using Zoo.Formats.Ir;
using Zoo.Formats.IO;
using Zoo.Formats.Tests.Support;
using Zoo.Models;
using Zoo.Models.ModelZoo.Applications;
using Zoo.Models.ModelZoo.Builder;

namespace Zoo.Convert.Tests.Commands;

/// <summary>
/// The scenario Keras users bring, on the command line: a ResNet50 base (include_top=False) used as a layer with
/// <c>training=False</c>, GlobalAveragePooling2D and a softmax Dense, saved by <c>model.save("model.h5")</c> —
/// fine-tuned under every policy and tuned; what is written loads in Keras by position and keeps frozen weights
/// bit for bit.
/// </summary>
public sealed class TransferLearningCommandTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    // ResNet50 on 32×32 inputs (the smallest keras.applications accepts) keeps every stage and trains in seconds.
    private static ModelGraph Resnet50Base() => ResNet.ResNet50(new ApplicationOptions { IncludeTop = false, InputShape = [32, 32, 3], Seed = 1 });

    private string TransferFile(KerasDialectKind dialect = KerasDialectKind.Keras2, string name = "model.h5")
    {
        var @base = Resnet50Base();
        if (dialect == KerasDialectKind.Keras3) @base = DialectTranslator.Translate(@base, KerasDialectKind.Keras3);
        var model = TransferModel.Build(@base, new TransferModelOptions { Head = new ClassifierHeadOptions { Classes = 5, Seed = 2 } });
        var path = dir.File(name);
        KerasFile.Save(model, path);
        return path;
    }

    private (string X, string Y) Data(int n = 10)
    {
        var rng = new Random(3);
        var x = new float[n * 32 * 32 * 3];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble() * 2 - 1;
        var y = Enumerable.Range(0, n).Select(i => (float)(i % 5)).ToArray();
        Npy.Write(dir.File("x.npy"), NpyArray.FromFloat32([n, 32, 32, 3], x));
        Npy.Write(dir.File("y.npy"), NpyArray.FromFloat32([n], y));
        return (dir.File("x.npy"), dir.File("y.npy"));
    }

    private static byte[] Kernel(ModelGraph g, string layer)
        => g.Layers.Single(l => l.Nested is not null).Nested!.GetLayer(layer).Weights[0].Data.ToArray();

    [SkippableTheory]
    [InlineData("small", false, false)]
    [InlineData("medium", false, true)]
    [InlineData("large", true, true)]
    [InlineData("auto", false, false)]
    public void Finetune_a_base_used_as_a_layer_under_each_policy_writes_what_Keras_loads(string policy, bool stemTrains, bool lastStageTrains)
    {
        var model = TransferFile();
        var (x, y) = Data();
        var output = dir.File($"tuned_{policy}.h5");

        var r = CliRunner.Run("finetune", "--model", model, "--x", x, "--y", y, "--classes", "5", "--policy", policy,
            "--epochs", "1", "--batch-size", "5", "--optimizer", "sgd", "--lr", "0.05", "--output", output);

        Assert.True(r.Code == 0, r.Err + r.Out);
        KerasPositionalLoader.AssertLoadsByPosition(output);
        var (before, after) = (KerasFile.Load(model), KerasFile.Load(output));
        Assert.Equal(!stemTrains, Kernel(before, "conv1_conv").SequenceEqual(Kernel(after, "conv1_conv")));
        Assert.Equal(!lastStageTrains, Kernel(before, "conv5_block3_3_conv").SequenceEqual(Kernel(after, "conv5_block3_3_conv")));
        using var reloaded = KerasModel.Load(output);
        Assert.Equal(new long?[] { null, 32, 32, 3 }, reloaded.InputShapes[0]);
    }

    [Fact]
    public void The_fine_tuned_model_exports_to_ONNX_and_a_Triton_repository_that_agree_with_TorchSharp()
    {
        var model = TransferFile();
        var (x, y) = Data();
        var tuned = dir.File("tuned.h5");
        Assert.Equal(0, CliRunner.Run("finetune", "--model", model, "--x", x, "--y", y, "--classes", "5", "--policy", "medium",
            "--epochs", "1", "--batch-size", "5", "--output", tuned).Code);

        var convert = CliRunner.Run("convert", tuned, dir.File("tuned.onnx"));
        var triton = CliRunner.Run("export-triton", tuned, dir.File("repo"), "--name", "flowers");
        var viaTorch = CliRunner.Run("predict", tuned, "--input", x, "--output", dir.File("y_torch.npy"));
        var viaOnnx = CliRunner.Run("predict", dir.File("tuned.onnx"), "--input", x, "--output", dir.File("y_onnx.npy"));
        var viaTriton = CliRunner.Run("predict", Path.Combine(dir.File("repo"), "flowers", "1", "model.onnx"), "--input", x, "--output", dir.File("y_triton.npy"));

        foreach (var r in new[] { convert, triton, viaTorch, viaOnnx, viaTriton }) Assert.True(r.Code == 0, r.Err);
        var expected = Npy.Read(dir.File("y_torch.npy")).ToFloat32();
        foreach (var file in new[] { "y_onnx.npy", "y_triton.npy" })
        {
            var actual = Npy.Read(dir.File(file)).ToFloat32();
            Assert.Equal(expected.Length, actual.Length);
            Assert.True(expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second)) <= 1e-5f, file);
        }
    }

    [Fact]
    public void Tune_with_Hyperband_searches_on_a_base_used_as_a_layer_and_saves_the_best()
    {
        var model = TransferFile();
        var (x, y) = Data();

        var r = CliRunner.Run("tune", "--model", model, "--x", x, "--y", y, "--classes", "5", "--search", "hyperband", "--trials", "3", "--max-epochs", "2", "--factor", "2",
            "--space", "lr=1e-3..1e-2:log,batch-size=5,optimizer=sgd,policy=small|medium", "--seed", "4",
            "--output", dir.File("best.h5"), "--report", dir.File("tune"));

        Assert.True(r.Code == 0, r.Err + r.Out);
        using var best = KerasModel.Load(dir.File("best.h5"));
        Assert.Equal(5, best.Predict(new float[32 * 32 * 3], [1, 32, 32, 3]).Length);
    }

    [Fact]
    public void A_Keras_3_archive_fine_tunes_directly_into_a_keras_archive_with_optimizer_state()
    {
        var model = TransferFile(KerasDialectKind.Keras3, "model.keras");
        var (x, y) = Data();
        var output = dir.File("tuned.keras");

        var r = CliRunner.Run("finetune", "--model", model, "--x", x, "--y", y, "--classes", "5", "--policy", "small",
            "--epochs", "1", "--batch-size", "5", "--output", output);

        Assert.True(r.Code == 0, r.Err + r.Out);
        var tuned = KerasFile.Load(output);
        Assert.Equal(KerasDialectKind.Keras3, tuned.Metadata.Dialect);
        Assert.All(tuned.OptimizerWeights, w => Assert.StartsWith("vars/", w.ObjectPath));
        Assert.Equal(2 + 2 * 2, tuned.OptimizerWeights.Count);   // Adam over the head's kernel and bias
    }

    [Fact]
    public void A_zoo_model_without_imported_weights_is_not_frozen_unless_allowed()
    {
        var (x, y) = Data(5);
        string[] common = ["finetune", "--model", "resnet50", "--x", x, "--y", y, "--classes", "5", "--epochs", "1", "--output", dir.File("o.h5")];

        var refused = CliRunner.Run([.. common, "--policy", "small"]);
        var large = CliRunner.Run([.. common, "--policy", "large"]);

        Assert.Equal(2, refused.Code);
        Assert.Contains("no imported weights", refused.Err);
        Assert.Contains("--allow-random-base", refused.Err);
        Assert.True(large.Code == 0, large.Err);
        Assert.Contains("trains from scratch", large.Out);
    }
}
