using Zoo.Convert.Tests.Support;
using Zoo.Formats;
using Zoo.Models;

namespace Zoo.Convert.Tests.Commands;

/// <summary><c>zoo-convert finetune</c> end to end on LeNet-5: arrays and image folders in, reloadable models and history out.</summary>
public sealed class FinetuneCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("zoo-finetune-").FullName;

    private string P(string name) => Path.Combine(dir, name);

    [Fact]
    public void Finetune_on_npy_arrays_writes_an_h5_that_reloads_and_history_json_csv_png()
    {
        var (x, y) = FinetuneFiles.Arrays(dir, n: 24, classes: 3, seed: 1);
        var r = CliRunner.Run("finetune", "--model", "lenet5", "--x", x, "--y", y, "--classes", "3", "--policy", "large", "--epochs", "2",
            "--batch-size", "8", "--validation-split", "0.25", "--optimizer", "sgd", "--lr", "0.05", "--schedule", "step:drop=0.5,every=1",
            "--out", P("tuned.h5"), "--history", P("hist"));
        Assert.True(r.Code == 0, r.Err + r.Out);
        Assert.Contains("epoch 1/2: loss ", r.Out, StringComparison.Ordinal);
        Assert.Contains("epoch 2/2: loss ", r.Out, StringComparison.Ordinal);
        Assert.Contains("best epoch: ", r.Out, StringComparison.Ordinal);
        Assert.Contains($"model: {P("tuned.h5")}", r.Out, StringComparison.Ordinal);
        var csv = File.ReadAllLines(P("hist/history.csv"));
        Assert.Equal("epoch,accuracy,learning_rate,loss,val_accuracy,val_loss", csv[0]);
        Assert.Equal(3, csv.Length);
        Assert.Contains(",0.05,", csv[1], StringComparison.Ordinal);
        Assert.Contains(",0.025,", csv[2], StringComparison.Ordinal);          // the step schedule halved the rate
        Assert.Contains("\"val_loss\"", File.ReadAllText(P("hist/history.json")), StringComparison.Ordinal);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(P("hist/history.png"))[..4]);

        using var reloaded = KerasModel.Load(P("tuned.h5"));
        var output = reloaded.Predict(new float[32 * 32], new long[] { 1, 32, 32, 1 }, out var shape);
        Assert.Equal(new long[] { 1, 3 }, shape);
        Assert.Equal(1.0, output.Sum(), 4);
        Assert.NotNull(KerasFile.Load(P("tuned.h5")).TrainingConfig);
    }

    [Fact]
    public void Finetune_on_an_image_folder_lists_skipped_files_augments_and_writes_a_keras_archive()
    {
        var images = FinetuneFiles.Images(dir, perClass: 4);
        var r = CliRunner.Run("finetune", "--model", "lenet5", "--allow-random-base", "--data", images, "--classes", "2", "--policy", "small", "--epochs", "2",
            "--batch-size", "4", "--augment", "flip,shift,rotate=5", "--early-stopping", "monitor=loss,patience=3", "--out", P("tuned.keras"));
        Assert.True(r.Code == 0, r.Err + r.Out);
        Assert.Contains("8 images in 2 classes (bright, dark) at 32x32x1, tf preprocessing", r.Out, StringComparison.Ordinal);
        Assert.Contains($"warning: skipped {Path.Combine(images, "dark", "notes.png")}: not a JPEG, PNG, BMP, GIF or WebP image", r.Out, StringComparison.Ordinal);
        Assert.Contains("small: the whole base", r.Out, StringComparison.Ordinal);
        Assert.Contains("best epoch: ", r.Out, StringComparison.Ordinal);
        using var reloaded = KerasModel.Load(P("tuned.keras"));
        Assert.Equal(new long?[] { null, 32, 32, 1 }, reloaded.InputShapes[0]);
    }

    [Fact]
    public void A_model_file_with_another_head_gets_a_new_one_and_weights_only_output_is_written()
    {
        Assert.Equal(0, CliRunner.Run("zoo", "create", "lenet5", "--out", P("lenet.h5")).Code);
        var (x, y) = FinetuneFiles.Arrays(dir, n: 12, classes: 2, seed: 2);
        var r = CliRunner.Run("finetune", "--model", P("lenet.h5"), "--x", x, "--y", y, "--classes", "2", "--policy", "auto", "--epochs", "1",
            "--out", P("tuned.weights.h5"));
        Assert.True(r.Code == 0, r.Err + r.Out);
        Assert.Contains("auto: ", r.Out, StringComparison.Ordinal);
        Assert.Contains("head: replaced by", r.Out, StringComparison.Ordinal);
        Assert.True(new FileInfo(P("tuned.weights.h5")).Length > 0);
    }

    [Fact]
    public void An_image_folder_without_readable_images_exits_3_naming_the_folder()
    {
        var empty = P("empty");
        Directory.CreateDirectory(Path.Combine(empty, "a"));
        File.WriteAllText(Path.Combine(empty, "a", "x.jpg"), "not a jpeg");
        var r = CliRunner.Run("finetune", "--model", "lenet5", "--allow-random-base", "--data", empty, "--classes", "2", "--out", P("o.h5"));
        Assert.Equal(3, r.Code);
        Assert.Contains(empty, r.Err, StringComparison.Ordinal);
        Assert.Contains("no readable image", r.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(P("o.h5")));
    }

    [Theory]
    [InlineData("--policy", "tiny", "--policy: expected small, medium, large or auto")]
    [InlineData("--out", "model.json", "--output: name the file .h5, .keras or .weights.h5")]
    [InlineData("--schedule", "wobbly", "--schedule: unknown schedule 'wobbly'")]
    [InlineData("--early-stopping", "monitr=val_loss", "--early-stopping: unknown key 'monitr'")]
    [InlineData("--augment", "shift=2", "--augment: shift is a fraction of the image size")]
    [InlineData("--image-size", "16,16", "--image-size applies to an image folder")]
    [InlineData("--optimizer", "adagrad", "--optimizer: expected adam, sgd or rmsprop")]
    [InlineData("--model", "no-such-model", "neither an existing file nor a zoo model name")]
    [InlineData("--classes", "1", "--classes must be at least 2")]
    public void Bad_options_exit_2_with_a_message_naming_the_option(string option, string value, string message)
    {
        var (x, y) = FinetuneFiles.Arrays(dir, n: 4, classes: 2, seed: 3);
        var args = new Dictionary<string, string> { ["--model"] = "lenet5", ["--x"] = x, ["--y"] = y, ["--classes"] = "2", ["--out"] = P("o.h5") };
        args[option] = value;
        var r = CliRunner.Run(args.SelectMany(kv => new[] { kv.Key, kv.Value }).Prepend("finetune").Append("--allow-random-base").ToArray());
        Assert.Equal(2, r.Code);
        Assert.Contains(message, r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_classes_or_both_data_sources_are_usage_errors()
    {
        var (x, y) = FinetuneFiles.Arrays(dir, n: 4, classes: 2, seed: 3);
        Assert.Equal(2, CliRunner.Run("finetune", "--model", "lenet5", "--allow-random-base", "--x", x, "--y", y, "--out", P("o.h5")).Code);
        var both = CliRunner.Run("finetune", "--model", "lenet5", "--allow-random-base", "--data", dir, "--x", x, "--y", y, "--classes", "2", "--out", P("o.h5"));
        Assert.Equal(2, both.Code);
        Assert.Contains("give --data, or --x with --y, not both", both.Err, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}
