using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;
using Zoo.Models.Tests.Parity;

namespace Zoo.Models.Tests.Conversion;

/// <summary>
/// Version-normalizing conversion is numerically lossless: a model converted Keras 1 → Keras 2 HDF5,
/// or to a Keras 3 archive and back, still gives Keras's own recorded predictions.
/// </summary>
public class ConvertedModelParityTests
{
    public static TheoryData<string, string, KerasFormat, float> Cases() => new()
    {
        { "simple_lstm_tf_keras_1", "m.h5", KerasFormat.H5Full, 1e-5f },
        { "simple_sparse_xent_mlp_keras_2", "m.keras", KerasFormat.KerasArchive, 1e-6f },
    };

    [SkippableFact]
    public void Converting_a_hard_sigmoid_lstm_to_keras3_warns_that_keras3_computes_it_differently()
    {
        // Keras 2's hard_sigmoid is clip(0.2x+0.5); Keras 3's is relu6(x+3)/6. No Keras 3 activation
        // reproduces the Keras 2 one, so the converted file is honest about the change instead of silent.
        var graph = KerasFile.Load(Fixtures.Path("dl4j-test-resources/simple_lstm_tf_keras_1_model.h5"));
        using var dir = new TempDir();
        KerasFile.Save(graph, dir.File("m.keras"));
        Assert.Contains(graph.Warnings, w => w.Contains("hard_sigmoid") && w.Contains("Keras 3"));
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void A_converted_model_still_gives_kerass_recorded_predictions(string name, string file, KerasFormat format, float tolerance)
    {
        var source = Fixtures.Path($"dl4j-test-resources/{name}_model.h5");
        var io = $"dl4j-test-resources/{name}_inputs_and_outputs.h5";
        using var dir = new TempDir();
        var converted = dir.File(file);
        var dialect = format == KerasFormat.KerasArchive ? KerasDialectKind.Keras3 : KerasDialectKind.Keras2;
        KerasFile.Save(KerasFile.Load(source), converted, new SaveOptions { Format = format, Dialect = dialect });
        var reread = KerasFile.Load(converted);
        Assert.Equal(dialect, reread.Metadata.Dialect);

        using var model = KerasModel.Load(converted);
        var (x, shape) = Companions.Dl4j(io, "inputs");
        var (expected, _) = Companions.Dl4j(io, "predictions");
        var actual = model.Predict(x, shape);
        Assert.Equal(expected.Length, actual.Length);
        var maxErr = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(maxErr <= tolerance, $"{name} via {format}: max abs error {maxErr:E2} > {tolerance:E0}");
    }
}
