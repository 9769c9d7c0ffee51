using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Zoo.Convert.Tests.Support;
using Zoo.FineTune.Data;
using Zoo.Formats;
using Zoo.Formats.IO;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

public sealed class TuneCommandTests : IDisposable
{
    private readonly TempDir dir = new();

    /// <summary>Writes 16×16 synthetic digits as x.npy (float32 NHWC) and y.npy (class indices).</summary>
    private (string X, string Y) DigitFiles(int n)
    {
        var data = SyntheticDigits.Generate(n, seed: 8, new SyntheticDigitsOptions { Size = 16, OneHot = false });
        var (x, y) = (dir.File("x.npy"), dir.File("y.npy"));
        Npy.Write(x, new NpyArray(data.XShape, DType.Float32, MemoryMarshal.AsBytes(data.X.AsSpan()).ToArray()));
        Npy.Write(y, new NpyArray(data.YShape, DType.Float32, MemoryMarshal.AsBytes(data.Y.AsSpan()).ToArray()));
        return (x, y);
    }

    private string[] Args(string x, string y, string report, int trials = 3, int epochs = 2, bool baseline = true) =>
    [
        "tune", "--model", "lenet5", "--x", x, "--y", y, "--classes", "10", "--search", "random", "--trials", trials.ToString(), "--max-epochs", epochs.ToString(),
        "--space", "lr=1e-3..3e-2:log,batch-size=16|32,policy=large", "--patience", "1", "--seed", "5",
        "--out", dir.File("best.h5"), "--report", report, .. (baseline ? Array.Empty<string>() : ["--no-baseline"]),
    ];

    [Fact]
    public void Tune_on_lenet5_saves_the_best_model_and_writes_the_trial_table_as_json_csv_and_png()
    {
        var (x, y) = DigitFiles(60);
        var report = dir.File("report");
        var r = CliRunner.Run(Args(x, y, report, trials: 2, epochs: 1));
        Assert.True(r.Code == 0, r.Err + r.Out);
        Assert.Equal(2, r.Out.Split('\n').Count(l => l.StartsWith("trial ", StringComparison.Ordinal) && !l.StartsWith("trial baseline", StringComparison.Ordinal)));
        Assert.Contains("trial baseline", r.Out);
        // Epochs are counted from 1 in what tune prints, as finetune and Keras print them (one epoch: "epochs 1–1", best at epoch 1).
        Assert.All(r.Out.Split('\n').Where(l => l.StartsWith("trial ", StringComparison.Ordinal)), l =>
        {
            Assert.Contains("epochs 1–1", l);
            Assert.Contains("(epoch 1)", l);
        });
        Assert.Contains(" at epoch 1 (", r.Out);
        Assert.DoesNotContain("epoch 0", r.Out);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(report, "trials.json")))!.AsObject();
        var scores = json["trials"]!.AsArray().Select(t => t!["score"]!.GetValue<double>()).ToArray();
        Assert.NotNull(json["baseline_score"]);
        // The baseline competes: the best is the top score among the trials and the defaults.
        Assert.Equal(scores.Append(json["baseline_score"]!.GetValue<double>()).Max(), json["best_score"]!.GetValue<double>());
        Assert.Equal("val_accuracy:max", json["objective"]!.GetValue<string>());
        var csv = File.ReadAllLines(Path.Combine(report, "trials.csv"));
        Assert.Equal(4, csv.Length); // header, baseline, two trials
        Assert.StartsWith("trial,bracket,round,parent,initial_epoch,epochs,lr,batch-size,policy,score", csv[0]);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(Path.Combine(report, "scores.png"))[..4]);

        var best = KerasFile.Load(dir.File("best.h5"));
        Assert.Equal(new long[] { 16, 16, 1 }, best.Layers[0].Config["batch_input_shape"]!.AsArray().Skip(1).Select(d => d!.GetValue<long>()));
        Assert.Contains("→ " + dir.File("best.h5"), r.Out);
    }

    [Fact]
    public void Tune_reads_an_image_folder_at_the_zoo_models_input_size_and_reports_skipped_files()
    {
        var images = FinetuneFiles.Images(dir.Path, perClass: 6);
        var r = CliRunner.Run("tune", "--model", "lenet5", "--data", images, "--image-size", "32,32", "--classes", "2", "--search", "random",
            "--trials", "1", "--max-epochs", "1", "--space", "lr=1e-3..1e-2:log,batch-size=4,policy=large", "--no-baseline", "--seed", "3",
            "--output", dir.File("best_images.h5"), "--report", dir.File("report_images"));
        Assert.True(r.Code == 0, r.Err + r.Out);
        Assert.Contains("notes.png", r.Err);
        var best = KerasFile.Load(dir.File("best_images.h5"));
        Assert.Equal(new long[] { 32, 32, 1 }, best.Layers[0].Config["batch_input_shape"]!.AsArray().Skip(1).Select(d => d!.GetValue<long>()));
    }

    [Fact]
    public void Image_size_with_arrays_is_a_usage_error()
    {
        var (x, y) = DigitFiles(20);
        var r = CliRunner.Run([.. Args(x, y, dir.File("report")), "--image-size", "32,32"]);
        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.Contains("--image-size applies to an image folder", r.Err);
    }

    [Theory]
    [InlineData("--space", "lr=1e-3..1e-2,dropout=0..2", "'dropout': expected a rate in [0, 1)")]
    [InlineData("--space", "lr=1e-3|fast", "'lr': expected a number > 0")]
    [InlineData("--search", "grid", "--search: expected random or hyperband")]
    [InlineData("--monitor", "val_f1", "'val_f1:max'")]
    [InlineData("--factor", "1", "--factor: expected an integer ≥ 2")]
    public void Bad_search_arguments_are_usage_errors_that_say_what_was_expected(string option, string value, string message)
    {
        var (x, y) = DigitFiles(20);
        var args = Args(x, y, dir.File("report")).ToList();
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value; else args.AddRange(new[] { option, value });
        var r = CliRunner.Run(args.ToArray());
        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.Contains(message, r.Err);
        Assert.False(File.Exists(dir.File("best.h5")));
    }

    [Fact]
    public void A_tune_process_killed_mid_search_resumes_without_repeating_its_finished_trials()
    {
        var (x, y) = DigitFiles(40);
        var report = dir.File("report");
        var log = Path.Combine(report, "trials.jsonl");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "exec", typeof(Cli).Assembly.Location }.Concat(Args(x, y, report, trials: 3, epochs: 1, baseline: false))) psi.ArgumentList.Add(a);
        string[] beforeKill;
        using (var child = Process.Start(psi)!)
        {
            var err = new System.Text.StringBuilder();
            child.OutputDataReceived += (_, _) => { };
            child.ErrorDataReceived += (_, e) => { lock (err) err.AppendLine(e.Data); };
            child.BeginOutputReadLine();
            child.BeginErrorReadLine();
            var clock = Stopwatch.StartNew();
            // Header and trial 0 logged: kill while trial 1 trains.
            while (!(File.Exists(log) && File.ReadAllLines(log).Length >= 2))
            {
                Assert.False(child.HasExited, $"the tune child exited before two trials were logged: {err}");
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "the tune child logged nothing for three minutes");
                Thread.Sleep(20);
            }
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
            beforeKill = File.ReadAllLines(log);
        }
        Assert.InRange(beforeKill.Length, 2, 3);
        Assert.False(File.Exists(dir.File("best.h5")));

        var r = CliRunner.Run(Args(x, y, report, trials: 3, epochs: 1, baseline: false));
        Assert.True(r.Code == 0, r.Err + r.Out);
        var lines = File.ReadAllLines(log);
        Assert.Equal(beforeKill, lines.Take(beforeKill.Length));
        var ids = lines.Skip(1).Select(l => JsonNode.Parse(l)!["id"]!.GetValue<string>()).ToArray();
        Assert.Equal(new[] { "0", "1", "2" }, ids);
        var replayed = r.Out.Split('\n').Where(l => l.Contains("(from log)")).ToArray();
        Assert.Equal(beforeKill.Length - 1, replayed.Length);
        Assert.Contains($"{beforeKill.Length - 1} from the log", r.Out);
        Assert.True(File.Exists(dir.File("best.h5")));
    }

    public void Dispose() => dir.Dispose();
}
