using Xunit.Abstractions;
using Zoo.Models.Tests.CrossCheck;
using static TorchSharp.torch;

namespace Zoo.Models.Tests.ModelZoo;

/// <summary>
/// Every zoo architecture, with seeded weights, written by Zoo as a Keras 2 H5 file: tfjs-layers (an
/// independent Keras implementation) rebuilds it from that file's model_config and weights and predicts,
/// Zoo's KerasModel predicts from the same file and input, and the two agree to 1e-4 of max(1, |y|)
/// at every output element.
/// </summary>
[Collection(ZooCrossCheckCollection.Name)]
public class ZooCrossCheckTests(ZooCrossCheckSession session, ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    /// <summary>Every case id.</summary>
    public static IEnumerable<object[]> CaseIds => ZooCrossCheckSession.Cases.Keys.Select(k => new object[] { k });

    [SkippableTheory]
    [MemberData(nameof(CaseIds))]
    public void Zoo_and_tfjs_layers_predict_the_same_from_the_file_Zoo_wrote_for_each_zoo_model(string id)
    {
        Skip.If(session.SkipReason is not null, session.SkipReason);
        var tfjs = session.Result(id);
        Assert.True((bool)tfjs["ok"]!, $"{id}: tfjs-layers could not rebuild or run the file Zoo wrote: {tfjs["error"]}");
        var expected = tfjs["outputs"]!.AsArray().Single()!;
        var yTfjs = Bin.Read((string)expected["file"]!);
        var tfjsShape = expected["shape"]!.AsArray().Select(d => (long)d!).ToArray();

        var (x, shape) = session.Input(id);
        using var model = KerasModel.Load(session.H5Of(id));
        var ours = model.Predict(x, shape, out var ourShape);
        Assert.Equal(tfjsShape, ourShape);

        double absolute = 0, scaled = 0, magnitude = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            double d = Math.Abs((double)ours[i] - yTfjs[i]);
            absolute = Math.Max(absolute, d);
            scaled = Math.Max(scaled, d / Math.Max(1.0, Math.Abs(yTfjs[i])));
            magnitude = Math.Max(magnitude, Math.Abs(yTfjs[i]));
        }
        if (ours.Any(float.IsNaN) || yTfjs.Any(float.IsNaN)) scaled = double.NaN;
        // The batch holds two different inputs: how far apart their outputs are, against the output's size,
        // says whether the output depends on the input or only on the biases.
        int row = yTfjs.Length / ZooCrossCheckSession.Batch;
        double spread = 0;
        for (int i = 0; i < row; i++) spread = Math.Max(spread, Math.Abs(yTfjs[i] - yTfjs[row + i]));
        output.WriteLine($"{id}: output [{string.Join(",", ourShape)}], max abs error {absolute:E2}, max error/max(1,|y|) {scaled:E2}, " +
                         $"max |y| {magnitude:G4}, input dependence {spread / magnitude:P0}; tfjs {(double)tfjs["ms"]! / 1000:F1} s (node run for all models {session.NodeSeconds:F1} s, {session.Tool})");
        // An output that has died away would agree with anything: the comparison only means something on live values.
        Assert.True(magnitude > 1e-2, $"{id}: max |y| is {magnitude:G3}; the seeded weights leave no signal to compare");
        // A bug on the data path shifts the output by a fraction of its input-dependent part; make that part
        // at least 100 tolerances, so a 1% error anywhere along the path fails the comparison below.
        Assert.True(spread > 100 * Tolerance * Math.Max(1, magnitude),
            $"{id}: two different inputs give outputs only {spread:G3} apart (max |y| {magnitude:G3}); too little of the output depends on the input to judge the kernels");
        Assert.True(scaled <= Tolerance, $"{id}: max error/max(1,|y|) {scaled:E2} exceeds {Tolerance:E0}; {FirstLargeLayer(model, x, shape)}");
    }

    // tfjs reports only the model's outputs, so point at where Zoo's own activations first grow large:
    // a layer whose values explode is where float32 rounding, or a bug, is magnified.
    private static string FirstLargeLayer(KerasModel model, float[] x, long[] shape)
    {
        using var scope = NewDisposeScope();
        using var input = tensor(x, shape);
        var acts = model.PredictActivations(input);
        var peaks = acts.Select(a => (a.Key, Peak: a.Value.abs().max().item<float>())).ToList();
        var largest = peaks.MaxBy(p => p.Peak);
        return $"Zoo's largest activation is {largest.Peak:G3} at layer '{largest.Key}' of {peaks.Count}";
    }
}
