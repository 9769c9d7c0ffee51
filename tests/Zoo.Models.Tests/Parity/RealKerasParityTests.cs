using Xunit.Abstractions;
using Zoo.Formats;
using Zoo.Formats.Tests.Support;
using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Parity;

/// <summary>
/// Our outputs against the outputs real Keras computed and shipped with the model. Tolerances are per
/// fixture (max abs error) and are never loosened to pass.
/// </summary>
public class RealKerasParityTests(ITestOutputHelper output)
{
    private void Check(string fixture, float[] expected, float[] actual, float tolerance)
    {
        float err = G.MaxAbsDiff(expected, actual);
        output.WriteLine($"{fixture}: max abs error {err:E2} (tolerance {tolerance:E0}, max |expected| {expected.Max(Math.Abs):G4})");
        Assert.True(err <= tolerance, $"{fixture}: max abs error {err} exceeds {tolerance}");
    }

    [SkippableFact]
    public void Keras1_LSTM_then_Dense_matches_the_DL4J_predictions()
    {
        // Keras 1.2.2: LSTM with split per-gate weights (i,c,f,o), hard_sigmoid gates; outputs reach 38.
        using var m = Companions.Model("dl4j-test-resources/simple_lstm_tf_keras_1_model.h5");
        var (x, shape) = Companions.Dl4j("dl4j-test-resources/simple_lstm_tf_keras_1_inputs_and_outputs.h5", "inputs");
        var (expected, _) = Companions.Dl4j("dl4j-test-resources/simple_lstm_tf_keras_1_inputs_and_outputs.h5", "predictions");
        Check("simple_lstm_tf_keras_1", expected, m.Predict(x, shape), 1e-5f);
    }

    [SkippableFact]
    public void Keras2_MLP_with_softmax_matches_the_DL4J_predictions()
    {
        using var m = Companions.Model("dl4j-test-resources/simple_sparse_xent_mlp_keras_2_model.h5");
        var (x, shape) = Companions.Dl4j("dl4j-test-resources/simple_sparse_xent_mlp_keras_2_inputs_and_outputs.h5", "inputs");
        var (expected, _) = Companions.Dl4j("dl4j-test-resources/simple_sparse_xent_mlp_keras_2_inputs_and_outputs.h5", "predictions");
        Check("simple_sparse_xent_mlp_keras_2", expected, m.Predict(x, shape), 1e-6f);
    }

    [SkippableFact]
    public void Conv_BatchNorm_Flatten_Dense_matches_the_shipped_predictions()
    {
        using var m = Companions.Model("dl4j-test-resources/cnn_batch_norm.h5");
        var x = Companions.Npy("dl4j-test-resources/cnn_batch_norm_input.npy");
        var expected = Companions.Npy("dl4j-test-resources/cnn_batch_norm_predictions.npy").ToFloat32();
        Check("cnn_batch_norm", expected, m.Predict(x.ToFloat32(), x.Shape), 1e-6f);
    }

    [SkippableFact]
    public void Keras2_LSTM_without_shipped_predictions_still_runs_on_its_inputs()
    {
        // Its companion has no predictions/ group (outputs/ are training targets), so only shape is checked.
        using var m = Companions.Model("dl4j-test-resources/simple_lstm_tf_keras_2_model.h5");
        var (x, shape) = Companions.Dl4j("dl4j-test-resources/simple_lstm_tf_keras_2_inputs_and_outputs.h5", "inputs");
        var y = m.Predict(x, shape, out var outShape);
        Assert.Equal(new[] { shape[0], 1L }, outShape);
        Assert.All(y, v => Assert.True(float.IsFinite(v)));
    }

    [SkippableFact]
    public void Hls4ml_conv2d_1layer_on_its_test_bench_inputs_equals_a_naive_convolution_of_the_stored_kernel()
    {
        // The .dat predictions of this fixture were not produced by the stored weights (an independent
        // NumPy pass over the stored kernel disagrees with them by 6.5 too), so the reference here is the
        // stored kernel itself, applied by a plain loop.
        using var m = Companions.Model("hls4ml/conv2d_1layer.h5");
        var rows = Companions.Dat("hls4ml/conv2d_1layer_tb_input_features.dat");
        var x = rows.SelectMany(r => r).ToArray();
        var y = m.Predict(x, new long[] { rows.Length, 5, 5, 1 });
        var graph = Zoo.Formats.Hdf5.Legacy.LegacyH5.Read(Fixtures.Path("hls4ml/conv2d_1layer.h5"));
        var conv = graph.GetLayer("conv2d");
        var k = conv.Weights.Single(w => w.ShortName == "kernel").ToFloat32();
        var b = conv.Weights.Single(w => w.ShortName == "bias").ToFloat32();
        Check("hls4ml conv2d_1layer vs naive", Naive.Conv2D(x, rows.Length, 5, 5, 1, k, 3, 3, 1, b, 1, 1, 1, 1, false), y, 1e-5f);
    }

    [SkippableTheory]
    [InlineData("simple_lstm_tf_keras_1", 1e-5f)]
    [InlineData("simple_sparse_xent_mlp_keras_2", 1e-6f)]
    public void Every_layer_matches_the_per_layer_activations_Keras_recorded(string name, float tolerance)
    {
        var io = $"dl4j-test-resources/{name}_inputs_and_outputs.h5";
        using var m = Companions.Model($"dl4j-test-resources/{name}_model.h5");
        var (x, shape) = Companions.Dl4j(io, "inputs");
        var expected = Companions.Dl4jAll(io, "activations");
        var ours = m.PredictActivations(TorchSharp.torch.tensor(x, shape));
        Assert.NotEmpty(expected);
        foreach (var (layer, values) in expected)
        {
            Assert.True(ours.ContainsKey(layer), $"no activation recorded for layer '{layer}'");
            Check($"{name} layer {layer}", values, ours[layer].data<float>().ToArray(), tolerance);
        }
    }

    [SkippableTheory]
    [InlineData("dl4j-test-resources/simple_sparse_xent_mlp_keras_2_config.json", "dl4j-test-resources/simple_sparse_xent_mlp_keras_2_weights.h5")]
    [InlineData("dl4j-test-resources/simple_sparse_xent_mlp_keras_2_model.h5", "dl4j-test-resources/simple_sparse_xent_mlp_keras_2_weights.h5")]
    public void Architecture_plus_separate_weights_file_matches_the_DL4J_predictions(string arch, string weights)
    {
        using var m = KerasModel.Load(Fixtures.Path(arch), Fixtures.Path(weights));
        var (x, shape) = Companions.Dl4j("dl4j-test-resources/simple_sparse_xent_mlp_keras_2_inputs_and_outputs.h5", "inputs");
        var (expected, _) = Companions.Dl4j("dl4j-test-resources/simple_sparse_xent_mlp_keras_2_inputs_and_outputs.h5", "predictions");
        Check("simple_sparse_xent_mlp_keras_2 (arch + weights)", expected, m.Predict(x, shape), 1e-6f);
    }
}
