using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Zoo.Models.Tests.CrossCheck;

/// <summary>Runs Zoo's <see cref="KerasModel"/> on a case's inputs and measures it against tfjs-layers' outputs.</summary>
internal static class Agreement
{
    /// <summary>
    /// Zoo's prediction from <paramref name="modelFile"/> against the tfjs outputs in <paramref name="tfjs"/>:
    /// the same number of outputs and shapes; returns each output's max abs error and max |tfjs value|.
    /// </summary>
    public static (float MaxAbs, float Magnitude)[] Measure(string modelFile, (float[] Data, long[] Shape)[] inputs, JsonObject tfjs)
    {
        var expected = tfjs["outputs"]!.AsArray()
            .Select(o => (Data: Bin.Read((string)o!["file"]!), Shape: o!["shape"]!.AsArray().Select(d => (long)d!).ToArray())).ToArray();
        using var model = KerasModel.Load(modelFile);
        using var scope = NewDisposeScope();
        var y = model.Predict(inputs.Select(i => tensor(i.Data, i.Shape)).ToArray());
        Assert.Equal(expected.Length, y.Length);
        var result = new (float, float)[y.Length];
        for (int k = 0; k < y.Length; k++)
        {
            Assert.True(expected[k].Shape.SequenceEqual(y[k].shape),
                $"output {k}: tfjs shape [{string.Join(",", expected[k].Shape)}], Zoo shape [{string.Join(",", y[k].shape)}]");
            var ours = y[k].data<float>().ToArray();
            float err = 0, mag = 0;
            for (int i = 0; i < ours.Length; i++)
            {
                err = Math.Max(err, Math.Abs(ours[i] - expected[k].Data[i]));
                mag = Math.Max(mag, Math.Abs(expected[k].Data[i]));
            }
            if (ours.Any(float.IsNaN) != expected[k].Data.Any(float.IsNaN)) err = float.NaN;
            result[k] = (err, mag);
        }
        return result;
    }

    /// <summary>"0: 1.2E-007 (max |y| 3.4)" for each output.</summary>
    public static string Describe((float MaxAbs, float Magnitude)[] errors)
        => string.Join("; ", errors.Select((e, k) => $"output {k}: max abs error {e.MaxAbs:E2} (max |y| {e.Magnitude:G3})"));
}
