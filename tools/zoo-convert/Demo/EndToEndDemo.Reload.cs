using Zoo.FineTune;
using Zoo.FineTune.Training;
using Zoo.Models;

namespace Zoo.Convert.Demo;

internal sealed partial class EndToEndDemo
{
    internal const string SampleInputs = "digits_x.npy", SampleLabels = "digits_y.npy", SamplePredictions = "digits_predictions.npy";

    /// <summary>
    /// Step 3: the HDF5 full model, and the JSON and YAML architectures each paired with the weights-only file,
    /// are loaded into the inference runtime and must predict what the trained model predicts.
    /// </summary>
    private void Reload(KerasModel trained)
    {
        var probe = Head(plainValidation, budget.ParityCount);
        var expected = trained.Predict(probe.X, probe.XShape);
        (double MaxAbs, bool Bitwise) Check(string holds, string file, string? weights)
        {
            using var reloaded = weights is null ? KerasModel.Load(PathOf(file)) : KerasModel.Load(PathOf(file), PathOf(weights));
            var result = Compare(expected, reloaded.Predict(probe.X, probe.XShape));
            var what = weights is null ? file : $"{file} + {Weights}";
            Summary.Check($"{what} reloads with the same predictions", Describe(result), $"≤ {ReloadTolerance:0e+0}", result.MaxAbs <= ReloadTolerance);
            AddFile(file, holds, Describe(result));
            return result;
        }

        var full = Check("Keras HDF5 full model (config, weights, training config, Adam state)", FullModel, null);
        Summary.Parity = Summary.Parity with { ReloadMaxAbsError = full.MaxAbs, ReloadBitwise = full.Bitwise, Samples = (int)probe.Count };
        Check("architecture, JSON (+ weights file)", Json, Weights);
        Check("architecture, YAML (+ weights file)", Yaml, Weights);
        AddFile(Weights, "weights only, HDF5", "read with the JSON and YAML");
        WriteSamples(probe, expected);
        console.Line($"  {FullModel}: {Describe(full)} over {probe.Count} samples");
    }

    /// <summary>
    /// The probe digits as .npy files to try the other commands on: inputs (preprocessed, NHWC), their class indices, and
    /// the trained model's predictions (what <c>verify</c> compares against).
    /// </summary>
    private void WriteSamples(Zoo.FineTune.Fitting.ArrayDataset probe, float[] predictions)
    {
        long n = probe.Count, classes = probe.YShape[^1];
        var labels = Enumerable.Range(0, (int)n).Select(i => (float)probe.Y.AsSpan(i * (int)classes, (int)classes).IndexOf(1f)).ToArray();
        Zoo.Formats.IO.Npy.Write(PathOf(SampleInputs), Zoo.Formats.IO.NpyArray.FromFloat32(probe.XShape, probe.X));
        Zoo.Formats.IO.Npy.Write(PathOf(SampleLabels), Zoo.Formats.IO.NpyArray.FromFloat32([n], labels));
        Zoo.Formats.IO.Npy.Write(PathOf(SamplePredictions), Zoo.Formats.IO.NpyArray.FromFloat32([n, classes], predictions));
        AddFile(SampleInputs, $"{n} plain validation digits, preprocessed [{string.Join(",", probe.XShape)}]: try predict and verify on them", "");
        AddFile(SampleLabels, "their classes (indices), for finetune --y", "");
        AddFile(SamplePredictions, $"{FullModel}'s predictions on them, for verify --expected", "");
    }

    /// <summary>"bit-identical" or the max abs error.</summary>
    internal static string Describe((double MaxAbs, bool Bitwise) r) => r.Bitwise ? "bit-identical" : $"max |Δ| {r.MaxAbs:0.00e+0}";
}
