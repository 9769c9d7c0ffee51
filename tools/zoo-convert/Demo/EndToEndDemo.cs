using Zoo.Models;
using Zoo.FineTune;
using System.Diagnostics;
using Zoo.FineTune.Data;
using Zoo.FineTune.Fitting;
using Zoo.FineTune.Training;
using Zoo.Formats.IO;

namespace Zoo.Convert.Demo;

/// <summary>
/// The embedded end-to-end run, no downloads and no inputs: generate handwritten digits, build LeNet-5 from the
/// zoo and train it (early stopping, a learning rate held for 5 epochs then decayed exponentially), save it in the Keras formats and
/// reload it, fine-tune its head on a shifted domain under the Small policy, export to <c>.keras</c> and ONNX and
/// check ONNX Runtime against TorchSharp, then tour every Keras format losslessly. Each step is timed and
/// every check lands in <see cref="Summary"/>.
/// </summary>
internal sealed partial class EndToEndDemo(string outDir, int seed, DemoBudget budget, DemoConsole console, bool quick)
{
    /// <summary>Largest prediction difference accepted between the trained model and a file it was saved to.</summary>
    public const double ReloadTolerance = 1e-6;

    /// <summary>Largest prediction difference accepted between ONNX Runtime and TorchSharp.</summary>
    public const double OnnxTolerance = 1e-4;

    private ArrayDataset plainTrain = null!, plainValidation = null!, shiftedTrain = null!, shiftedValidation = null!, shiftedTest = null!;

    public DemoSummary Summary { get; } = new()
    {
        Seed = seed, Quick = quick, OutDir = outDir, Domain = budget.Domain == DigitDomain.Rotated90 ? "rotated" : "inverted",
    };

    /// <summary>Runs every step; <see cref="DemoSummary.Passed"/> tells whether every check passed.</summary>
    public DemoSummary Run()
    {
        var total = Stopwatch.StartNew();
        Directory.CreateDirectory(outDir);
        Time("1. generate digits", GenerateDigits);
        using (var trained = Time("2. train LeNet-5 and save", Train))
        {
            Time("3. reload and compare", () => Reload(trained));
            using var tuned = Time("4. fine-tune (small policy)", () => FineTune(trained));
            Time("5. export .keras + ONNX, parity", () => Export(tuned));
        }
        Time("6. lossless format tour", FormatTour);
        Summary.TotalSeconds = total.Elapsed.TotalSeconds;
        AtomicFile.WriteText(Path.Combine(outDir, "summary.json"), Summary.ToJson());
        return Summary;
    }

    private void GenerateDigits()
    {
        // LeNet-5's canonical input is 32×32 (MNIST's 28×28 padded); the digits are drawn at that size.
        var options = new SyntheticDigitsOptions { Size = 32 };
        var plain = Preprocess(SyntheticDigits.Generate(budget.PlainCount, seed, options));
        (plainTrain, plainValidation) = plain.SplitForValidation(budget.ValidationSplit);
        var shifted = Preprocess(SyntheticDigits.Generate(budget.ShiftedCount, seed + 1, options with { Domain = budget.Domain }));
        (shiftedTrain, shiftedValidation) = shifted.SplitForValidation(budget.ValidationSplit);
        shiftedTest = Preprocess(SyntheticDigits.Generate(budget.ShiftedTestCount, seed + 2, options with { Domain = budget.Domain }));
        console.Line($"  {plainTrain.Count:N0} plain digits to train on, {plainValidation.Count:N0} to validate; " +
            $"{Summary.Domain}: {shiftedTrain.Count:N0} to fine-tune on, {shiftedValidation.Count:N0} to validate, {shiftedTest.Count:N0} held out");
    }

    /// <summary>The zoo's LeNet-5 preprocessing (tf mode: pixels to [−1, 1], which suits its tanh units).</summary>
    private static ArrayDataset Preprocess(ArrayDataset d)
    {
        var pixels = Zoo.Models.ModelZoo.Applications.LeNet5.PreprocessInput(d.X.Select(v => v * 255f).ToArray());
        return d with { X = pixels };
    }

    private void FormatTour()
    {
        var tour = new FormatTour(Path.Combine(outDir, "format-tour"), TextWriter.Null);
        tour.Run(seed);
        Summary.FormatTour.AddRange(tour.Rows);
        Summary.Check("format tour: every weight bit-identical, every config equal", $"{tour.Rows.Count} steps",
            "no difference", tour.AllGood);
    }

    private void AddFile(string name, string holds, string reload)
        => Summary.Files.Add(new DemoFile(name, holds, new FileInfo(Path.Combine(outDir, name)).Length, reload));

    private string PathOf(string name) => Path.Combine(outDir, name);

    private void Time(string step, Action action) => Time(step, () => { action(); return 0; });

    private T Time<T>(string step, Func<T> action)
    {
        console.Line(step);
        var sw = Stopwatch.StartNew();
        var result = action();
        Summary.Steps.Add(new DemoStep(step, sw.Elapsed.TotalSeconds));
        return result;
    }

    /// <summary>The largest absolute difference between two prediction arrays, and whether they are equal bit for bit.</summary>
    internal static (double MaxAbs, bool Bitwise) Compare(float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length) return (double.PositiveInfinity, false);
        double max = 0;
        bool bitwise = true;
        for (int i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)expected[i] - actual[i]));
            bitwise &= BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]);
        }
        return (double.IsNaN(max) ? double.PositiveInfinity : max, bitwise);
    }

    /// <summary>The first <paramref name="count"/> samples of <paramref name="data"/> (all of them when it has fewer).</summary>
    private static ArrayDataset Head(ArrayDataset data, int count) => data.Slice(0, Math.Min(count, data.Count));

    private void SaveHistory(History history, string stem, string what)
    {
        AtomicFile.WriteText(PathOf(stem + ".csv"), history.ToCsv());
        AtomicFile.WriteText(PathOf(stem + ".json"), history.ToJson());
        HistoryPlot.SavePng(history, PathOf(stem + ".png"));
        AddFile(stem + ".csv", $"{what} history, CSV (Keras's CSVLogger columns)", "");
        AddFile(stem + ".json", $"{what} history, JSON", "");
        AddFile(stem + ".png", $"{what} curves: loss | accuracy, training blue, validation orange", "");
    }

    private static KerasModel Guarded(KerasModel model, Action<KerasModel> work)
    {
        try { work(model); return model; }
        catch { model.Dispose(); throw; }
    }
}
