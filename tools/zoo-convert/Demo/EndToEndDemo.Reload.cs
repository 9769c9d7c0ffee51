using Zoo.FineTune.Training;
using Zoo.Models;

namespace Zoo.Convert.Demo;

internal sealed partial class EndToEndDemo
{
    /// <summary>
    /// Step 3: the HDF5 full model, and the JSON and YAML architectures each paired with the weights-only file,
    /// are loaded into the inference runtime and must predict what the trained model predicts.
    /// </summary>
    private void Reload(TrainableModel trained)
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
        console.Line($"  {FullModel}: {Describe(full)} over {probe.Count} samples");
    }

    /// <summary>"bit-identical" or the max abs error.</summary>
    internal static string Describe((double MaxAbs, bool Bitwise) r) => r.Bitwise ? "bit-identical" : $"max |Δ| {r.MaxAbs:0.00e+0}";
}
