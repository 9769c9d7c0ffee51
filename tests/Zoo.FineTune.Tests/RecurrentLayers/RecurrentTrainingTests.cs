using Zoo.FineTune.Fitting;
using Zoo.FineTune.Optimizers;
using Zoo.FineTune.Tests.Support;
using Zoo.FineTune.Training;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Models;
using static Zoo.FineTune.Tests.Support.RecurrentModels;
using static TorchSharp.torch;

namespace Zoo.FineTune.Tests.RecurrentLayers;

/// <summary>Recurrent layers, their wrappers and Embedding train, and their trained weights save in Keras layout.</summary>
public sealed class RecurrentTrainingTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("zoo-finetune-rnn-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData(nameof(Core.Lstm))]
    [InlineData(nameof(Core.GruResetAfter))]
    [InlineData(nameof(Core.GruResetBefore))]
    [InlineData(nameof(Core.SimpleRnn))]
    [InlineData(nameof(Core.BidirectionalTimeDistributed))]
    public void A_sequence_classifier_trains_and_its_saved_file_reloads_to_identical_predictions(string core)
    {
        var graph = Classifier(Enum.Parse<Core>(core));
        var data = Sequences(64, seed: 3);
        using var model = TrainableModel.FromGraph(graph, seed: 1);
        var history = model.Fit(data, new FitOptions { Epochs = 15, BatchSize = 16, Optimizer = new Adam(0.03) });
        Assert.True(history["loss"][^1] < 0.75 * history["loss"][0], $"loss went {history["loss"][0]:F4} → {history["loss"][^1]:F4}");

        var exported = model.ExportGraph();
        foreach (var layer in graph.Layers)
            foreach (var w in layer.Weights)
                Assert.False(w.Data.AsSpan().SequenceEqual(exported.GetLayer(layer.Name).Weights.Single(e => e.Name == w.Name).Data),
                    $"weight {w.Name} did not train");

        using var x = TorchSharp.torch.tensor(data.X, data.XShape);
        using var expected = model.Predict(x);
        foreach (var file in new[] { "tuned.h5", "tuned.keras" })
        {
            var path = Path.Combine(dir, file);
            model.Save(path);
            using var reloaded = KerasModel.FromGraph(KerasFile.Load(path));
            var y = reloaded.Predict(data.X, data.XShape, out _);
            Assert.Equal(expected.data<float>().ToArray(), y);
        }
    }

    [Theory]
    [InlineData("LSTM", true)]
    [InlineData("GRU", true)]
    [InlineData("GRU", false)]
    [InlineData("SimpleRNN", true)]
    public void The_gradient_through_recurrent_steps_matches_a_finite_difference(string cls, bool resetAfter)
    {
        const int steps = 2;
        var graph = Zoo.Models.Tests.Support.G.Sequential(Recurrent(cls, "rnn", 3, seed: 7, resetAfter, batchShape: $"[null,{steps},3]"));
        using var model = TrainableModel.FromGraph(graph, seed: 1);
        using var x = TorchSharp.torch.tensor(Zoo.Models.Tests.Support.G.Rand(2 * steps * 3, 8), new long[] { 2, steps, 3 });
        using var r = TorchSharp.torch.tensor(Zoo.Models.Tests.Support.G.Rand(2 * Units, 9), new long[] { 2, Units });
        double Loss() { using var y = model.Forward(new[] { x }, training: true)[0]; using var s = (y * r).sum(); return s.item<float>(); }

        using (var y = model.Forward(new[] { x }, training: true)[0])
        using (var s = (y * r).sum()) s.backward();
        Assert.Equal(3, model.TrainableWeights.Count);
        foreach (var w in model.TrainableWeights)
        {
            var grad = w.grad!.flatten().data<float>().ToArray();
            var flat = w.detach().view(-1);
            foreach (var i in new[] { 0, (int)flat.shape[0] / 2, (int)flat.shape[0] - 1 })
            {
                const float eps = 1e-2f;
                float original = flat[i].item<float>();
                using (TorchSharp.torch.no_grad()) flat[i] = original + eps;
                double up = Loss();
                using (TorchSharp.torch.no_grad()) flat[i] = original - eps;
                double down = Loss();
                using (TorchSharp.torch.no_grad()) flat[i] = original;
                double numeric = (up - down) / (2 * eps);
                Assert.True(Math.Abs(numeric - grad[i]) <= 2e-3 + 1e-2 * Math.Abs(numeric), $"{cls}: d loss / d w[{i}] is {grad[i]}, finite difference {numeric}");
            }
        }
    }

    [Fact]
    public void A_trainable_recurrent_layer_with_dropout_is_refused_because_Zoo_would_not_drop()
    {
        var graph = Classifier(Core.Lstm);
        graph.GetLayer("rnn").Config["dropout"] = 0.2;
        var e = Assert.Throws<UnsupportedFeatureException>(() => TrainableModel.FromGraph(graph));
        Assert.Contains("dropout=0.2", e.Message);
        graph.GetLayer("rnn").Trainable = false;
        using var frozen = TrainableModel.FromGraph(graph);
        Assert.DoesNotContain("rnn", frozen.TrainableLayers);
    }

    [Fact]
    public void A_dropout_inside_TimeDistributed_drops_in_training_and_not_at_inference()
    {
        var graph = Zoo.Models.Tests.Support.G.Sequential(
            Zoo.Models.Tests.Support.G.Layer("TimeDistributed", "tdd", "{\"layer\": {\"class_name\": \"Dropout\", \"config\": {\"name\": \"dr\", \"rate\": 0.5}}, \"batch_input_shape\": [null,3,2]}"));
        using var model = TrainableModel.FromGraph(graph, seed: 5);
        using var x = ones(64, 3, 2);
        using var trained = model.Forward([x], training: true)[0];
        using var inferred = model.Forward([x], training: false)[0];
        var values = trained.data<float>().ToArray();
        // Kept units are scaled by 1/(1 − 0.5); about half are dropped.
        Assert.All(values, v => Assert.True(v == 0f || v == 2f, $"{v}"));
        Assert.InRange(values.Count(v => v == 0f), values.Length * 0.35, values.Length * 0.65);
        Assert.Equal(x.data<float>().ToArray(), inferred.data<float>().ToArray());
    }

    [Fact]
    public void A_bidirectional_layer_saves_adam_state_under_each_direction()
    {
        using var model = TrainableModel.FromGraph(Classifier(Core.BidirectionalTimeDistributed), seed: 1);
        model.Fit(Sequences(16, seed: 4), new FitOptions { Epochs = 1, BatchSize = 16, Optimizer = new Adam(0.01) });
        var names = model.ExportGraph().OptimizerWeights.Select(w => w.Name).ToArray();
        Assert.Contains("Adam/m/bi/forward_l/kernel:0", names);
        Assert.Contains("Adam/v/bi/backward_l/recurrent_kernel:0", names);
        Assert.Contains("Adam/m/td/d/kernel:0", names);
        Assert.Equal(names.Length, names.Distinct().Count());
    }
}
