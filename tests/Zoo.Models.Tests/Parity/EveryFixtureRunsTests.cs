using Zoo.Formats;
using Zoo.Formats.Tests.Support;
using static TorchSharp.torch;

namespace Zoo.Models.Tests.Parity;

public class EveryFixtureRunsTests
{
    public static IEnumerable<object[]> FullModels => Fixtures.OfKinds("h5-full", "keras3-archive");

    [SkippableTheory]
    [MemberData(nameof(FullModels))]
    public void Every_real_full_model_file_either_predicts_finite_values_or_names_what_it_does_not_support(string localPath)
    {
        KerasModel model;
        try { model = KerasModel.Load(Fixtures.Path(localPath)); }
        catch (UnsupportedFeatureException e)
        {
            Assert.Matches("layer '.+'", e.Message);
            return;
        }
        using (model)
        {
            var shapes = model.InputShapes;
            Skip.If(shapes.Any(s => s is null), $"{localPath} declares no input shape (a model saved unbuilt), so no input can be generated");
            var inputs = shapes.Select((s, i) => rand(s!.Select((d, j) => j == 0 ? 2 : d ?? 32).ToArray(), generator: manual_seed(i))).ToArray();
            var outputs = model.Predict(inputs);
            Assert.NotEmpty(outputs);
            Assert.All(outputs, y => Assert.True(y.isfinite().all().item<bool>(), $"{localPath}: non-finite output"));
            Assert.True(model.Binding.IsComplete);
        }
    }
}
