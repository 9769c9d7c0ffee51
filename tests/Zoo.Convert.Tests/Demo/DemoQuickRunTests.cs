using System.Text.Json;
using Zoo.Convert.Demo;
using Zoo.FineTune.Data;
using Zoo.FineTune.Fitting;
using Zoo.Formats;
using Zoo.Models;
using Zoo.Onnx.Inference;

namespace Zoo.Convert.Tests.Demo;

[Collection(Zoo.Convert.Tests.Support.TorchThreadsCollection.Name)]
public class DemoQuickRunTests(DemoQuickRun run) : IClassFixture<DemoQuickRun>
{
    private DemoSummary Summary => run.Summary ?? throw new Xunit.Sdk.XunitException($"the demo printed no summary (exit {run.Result.Code}): {run.Result.Err}");

    [Fact]
    public void The_quick_demo_exits_zero_with_every_check_passed()
    {
        Assert.True(run.Result.Code == 0, run.Result.Out + run.Result.Err);
        Assert.True(Summary.Passed);
        Assert.True(Summary.Quick);
        Assert.NotEmpty(Summary.Checks);
        Assert.All(Summary.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Measured}, target {c.Target}"));
    }

    [Fact]
    public void Json_mode_prints_only_the_summary_on_stdout_and_the_same_summary_lands_in_the_folder()
    {
        using var printed = JsonDocument.Parse(run.Result.Out);
        using var saved = JsonDocument.Parse(File.ReadAllText(run.File("summary.json")));
        Assert.True(printed.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal(saved.RootElement.GetProperty("accuracy").ToString(), printed.RootElement.GetProperty("accuracy").ToString());
        Assert.Contains("epoch  1/", run.Result.Err);   // progress went to stderr
    }

    private static readonly string[] DemoFields =
    [
        "schema", "seed", "quick", "out_dir", "domain", "epochs_run", "best_epoch", "fine_tune_epochs_run", "fine_tuned_layers",
        "accuracy.plain_validation", "accuracy.shifted_before", "accuracy.shifted_after", "accuracy.plain_after_fine_tune",
        "parity.reload_max_abs_error", "parity.reload_bitwise", "parity.keras_archive_max_abs_error", "parity.keras_archive_bitwise",
        "parity.onnx_max_abs_error", "parity.onnx_provider", "parity.samples",
        "steps[].name", "steps[].seconds", "files[].name", "files[].holds", "files[].bytes", "files[].reload",
        "checks[].name", "checks[].measured", "checks[].target", "checks[].passed",
        "format_tour[].step", "format_tour[].file", "format_tour[].bytes", "format_tour[].write_ms", "format_tour[].read_ms",
        "format_tour[].weights", "format_tour[].config", "total_seconds", "passed",
    ];

    [Fact]
    public void Demo_json_has_exactly_the_pinned_and_documented_fields()
        => Zoo.Convert.Tests.Commands.JsonSchemaTests.AssertPinnedAndDocumented(run.Result.Out, DemoFields, "### `demo --json`");

    [Fact]
    public void The_json_summary_names_its_schema_first_and_spells_every_field_in_snake_case_like_the_other_documents()
    {
        using var printed = JsonDocument.Parse(run.Result.Out);
        var first = printed.RootElement.EnumerateObject().First();
        Assert.Equal(("schema", "zoo-convert/demo/1"), (first.Name, first.Value.GetString()));
        static IEnumerable<string> Names(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Names(p.Value).Prepend(p.Name)),
            JsonValueKind.Array => e.EnumerateArray().SelectMany(Names),
            _ => [],
        };
        Assert.All(Names(printed.RootElement), n => Assert.Matches("^[a-z0-9]+(_[a-z0-9]+)*$", n));
        Assert.Contains("plain_after_fine_tune", Names(printed.RootElement));
    }

    [Fact]
    public void Every_step_is_timed_and_every_listed_file_exists_with_its_size()
    {
        Assert.Equal(6, Summary.Steps.Count);
        Assert.All(Summary.Steps, s => Assert.True(s.Seconds > 0, s.Name));
        string[] expected = ["lenet5_digits.h5", "lenet5_digits.json", "lenet5_digits.yaml", "lenet5_digits_weights.h5", "lenet5_digits_tuned.keras",
            "lenet5_digits_tuned.onnx", "history.csv", "history.json", "history.png", "finetune_history.png"];
        Assert.Empty(expected.Except(Summary.Files.Select(f => f.Name)));
        foreach (var f in Summary.Files)
        {
            Assert.True(File.Exists(run.File(f.Name)), f.Name);
            Assert.Equal(new FileInfo(run.File(f.Name)).Length, f.Bytes);
        }
        Assert.NotEmpty(Summary.FormatTour);
        Assert.True(File.Exists(Path.Combine(run.Folder, "format-tour", "lenet5.keras")));
    }

    [Fact]
    public void Parity_numbers_are_present_and_within_their_tolerances()
    {
        var p = Summary.Parity;
        Assert.True(p.Samples > 0);
        Assert.InRange(p.ReloadMaxAbsError, 0, EndToEndDemo.ReloadTolerance);
        Assert.InRange(p.KerasArchiveMaxAbsError, 0, EndToEndDemo.ReloadTolerance);
        Assert.InRange(p.OnnxMaxAbsError, 0, EndToEndDemo.OnnxTolerance);
        Assert.Contains("CPU", p.OnnxProvider);
    }

    [Fact]
    public void Fine_tuning_raises_accuracy_on_the_shifted_digits_and_trains_only_the_head()
    {
        var a = Summary.Accuracy;
        Assert.True(a.ShiftedAfter > a.ShiftedBefore, $"{a.ShiftedBefore} → {a.ShiftedAfter}");
        Assert.InRange(a.PlainValidation, 0.5, 1);   // three quick epochs already learn the digits
        Assert.Equal(["dense", "dense_1", "dense_2", "flatten"], Summary.FineTunedLayers.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void The_saved_files_reload_and_agree_with_each_other()
    {
        var x = Digits(DigitDomain.Inverted, 16, seed: 99);
        using var h5 = KerasModel.Load(run.File(EndToEndDemo.FullModel));
        using var json = KerasModel.Load(run.File(EndToEndDemo.Json), run.File(EndToEndDemo.Weights));
        using var yaml = KerasModel.Load(run.File(EndToEndDemo.Yaml), run.File(EndToEndDemo.Weights));
        var trained = h5.Predict(x.X, x.XShape);
        Assert.Equal(trained, json.Predict(x.X, x.XShape));
        Assert.Equal(trained, yaml.Predict(x.X, x.XShape));

        using var keras = KerasModel.Load(run.File(EndToEndDemo.KerasArchive));
        using var onnx = new OnnxPredictor(run.File(EndToEndDemo.Onnx), new OnnxPredictorOptions { Provider = OnnxProvider.Cpu });
        var tuned = keras.Predict(x.X, x.XShape);
        var viaOnnx = onnx.Predict(x.X, x.XShape, out var shape);
        Assert.Equal([16L, 10L], shape);
        Assert.InRange(tuned.Zip(viaOnnx, (p, q) => Math.Abs(p - q)).Max(), 0, EndToEndDemo.OnnxTolerance);
        Assert.NotEqual(trained, tuned);
    }

    [Fact]
    public void The_small_policy_left_the_convolutional_weights_byte_identical()
    {
        var trained = KerasFile.Load(run.File(EndToEndDemo.FullModel));
        var tuned = KerasFile.Load(run.File(EndToEndDemo.KerasArchive));
        foreach (var layer in trained.Layers.Where(l => l.Weights.Count > 0))
        {
            var other = tuned.GetLayer(layer.Name);
            bool same = layer.Weights.Zip(other.Weights).All(p => p.First.Data.AsSpan().SequenceEqual(p.Second.Data));
            Assert.True(layer.ClassName == "Conv2D" ? same : !same, $"{layer.Name} ({layer.ClassName}) same={same}");
        }
    }

    [Fact]
    public void The_history_files_hold_every_epoch_and_the_curves_are_a_png()
    {
        var csv = File.ReadAllLines(run.File("history.csv"));
        Assert.Equal("epoch,accuracy,learning_rate,loss,val_accuracy,val_loss", csv[0]);
        Assert.Equal(Summary.EpochsRun + 1, csv.Length);
        Assert.Equal(Summary.FineTuneEpochsRun + 1, File.ReadAllLines(run.File("finetune_history.csv")).Length);
        var png = File.ReadAllBytes(run.File("history.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }

    [Fact]
    public void The_text_summary_shows_accuracy_parity_files_timings_and_checks()
    {
        var text = new StringWriter();
        var console = new DemoConsole(text, TextWriter.Null, json: false);
        DemoSummaryView.Render(console.Ansi, DemoSummary.FromJson(run.Result.Out));
        var output = text.ToString();
        foreach (var title in new[] { "accuracy", "parity", "files", "timings", "checks" }) Assert.Contains(title, output);
        Assert.Contains("Row 4: the fine-tuned model back on plain digits", output);
        Assert.Contains("catastrophic forgetting", output);
        Assert.Contains("lenet5_digits_tuned.onnx", output);
        Assert.Contains($"{Summary.Accuracy.ShiftedAfter:P2}", output);
        Assert.DoesNotContain("\u001b[", output);   // redirected output carries no ANSI codes
    }

    private static ArrayDataset Digits(DigitDomain domain, int count, int seed)
    {
        var d = SyntheticDigits.Generate(count, seed, new SyntheticDigitsOptions { Size = 32, Domain = domain });
        return d with { X = d.X.Select(v => v * 2 - 1).ToArray() };   // LeNet-5's tf preprocessing
    }
}
