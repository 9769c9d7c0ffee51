using Xunit.Abstractions;
using Zoo.Convert.Tests.Support;
using Zoo.Formats;
using Zoo.Formats.IO;
using Zoo.Formats.Tests.Support;
using Zoo.Models;

namespace Zoo.Convert.Tests.Commands;

/// <summary>
/// The evidence line: every real full model and .keras archive that <c>inspect</c> reads also runs
/// <c>predict</c> on a generated input of its declared shape, or is refused naming the layer it cannot run.
/// </summary>
public class PredictEveryFixtureTests(ITestOutputHelper output)
{
    /// <summary>Size given to dimensions a model leaves open (sequence length, image size of a fully convolutional net).</summary>
    private const long OpenDim = 16;

    public static IEnumerable<object[]> FullModels => Fixtures.OfKinds("h5-full", "keras3-archive");

    [SkippableTheory]
    [MemberData(nameof(FullModels))]
    public void Predict_runs_every_real_full_model_on_a_generated_input_or_names_the_layer_it_cannot_run(string localPath)
    {
        var path = Fixtures.Path(localPath);
        Assert.True(CliRunner.Run("inspect", path).Code == 0, "inspect must read the file first");
        using var files = new PredictVerifyFiles();
        var inputs = GeneratedInputs(path, files, out var refusal);
        if (refusal is not null)
        {
            // The CLI must refuse the same way, as bad input, naming the layer.
            var refused = CliRunner.Run("predict", path, "--input", files.File("none.npy"), "--output", files.File("y.npy"));
            Assert.Equal(ExitCodes.BadInput, refused.Code);
            Assert.Matches("layer '.+'", refused.Err);
            output.WriteLine($"refused: {refused.Err.Trim()}");
            return;
        }
        Skip.If(inputs is null, $"{localPath} declares no input shape (a model saved unbuilt), so no input can be generated");
        var outputs = Enumerable.Range(0, inputs!.Value.Outputs).Select(i => files.File($"y{i}.npy")).ToArray();
        var args = new List<string> { "predict", path };
        foreach (var x in inputs.Value.Paths) args.AddRange(["--input", x]);
        foreach (var y in outputs) args.AddRange(["--output", y]);
        var r = CliRunner.Run(args.ToArray());
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Err}");
        foreach (var y in outputs)
        {
            var a = Npy.Read(y);
            Assert.Equal(Zoo.Formats.Ir.DType.Float32, a.DType);
            Assert.Equal(2, a.Shape[0]);
            Assert.All(a.ToFloat32(), v => Assert.True(float.IsFinite(v), $"{localPath}: non-finite output"));
        }
        output.WriteLine(r.Out);
    }

    /// <summary>One .npy per model input (batch 2, open dims <see cref="OpenDim"/>, values in [1, 2) so Embedding ids are 1); null when a shape is undeclared.</summary>
    private static (string[] Paths, int Outputs)? GeneratedInputs(string path, PredictVerifyFiles files, out string? refusal)
    {
        refusal = null;
        KerasModel model;
        try { model = KerasModel.Load(path); }
        catch (UnsupportedFeatureException e) { refusal = e.Message; return null; }
        using (model)
        {
            var shapes = model.InputShapes;
            if (shapes.Any(s => s is null)) return null;
            var rng = new Random(7);
            var paths = shapes.Select((s, i) =>
            {
                var shape = s!.Select((d, j) => j == 0 ? 2 : d ?? OpenDim).ToArray();
                var values = Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(_ => 1f + (float)rng.NextDouble()).ToArray();
                var p = files.File($"x{i}.npy");
                Npy.Write(p, NpyArray.FromFloat32(shape, values));
                return p;
            }).ToArray();
            return (paths, model.OutputNames.Count);
        }
    }
}
