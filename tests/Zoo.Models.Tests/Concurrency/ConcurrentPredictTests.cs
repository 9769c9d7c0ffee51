using System.Collections.Concurrent;
using Zoo.Formats.Ir;
using Zoo.Models.Tests.Support;

namespace Zoo.Models.Tests.Concurrency;

/// <summary>
/// Predict from many threads at once: on one model bound at load, on one model whose first Predict binds it
/// (the threads race to bind), and on separate models. Every thread must get the answers a single thread gets.
/// </summary>
public sealed class ConcurrentPredictTests
{
    private const int Threads = 8;
    private const int CallsPerThread = 12;

    [Fact]
    public void Eight_threads_predicting_on_one_model_bound_at_load_get_the_single_threaded_answers()
    {
        using var model = KerasModel.FromGraph(Graph(declareInput: true));
        var expected = Reference();
        Hammer(_ => model, expected);
    }

    [Fact]
    public void Eight_threads_whose_first_predicts_race_to_bind_one_model_get_the_single_threaded_answers()
    {
        for (int round = 0; round < 5; round++) // the race showed in about half of single rounds before the fix
        {
            using var model = KerasModel.FromGraph(Graph(declareInput: false));
            Hammer(_ => model, Reference());
            Assert.Empty(model.Binding.Unexpected);
        }
    }

    [Fact]
    public void Eight_threads_each_predicting_on_its_own_model_get_the_single_threaded_answers()
    {
        var models = Enumerable.Range(0, Threads).Select(_ => KerasModel.FromGraph(Graph(declareInput: false))).ToArray();
        try
        {
            Hammer(t => models[t], Reference());
        }
        finally
        {
            foreach (var m in models) m.Dispose();
        }
    }

    /// <summary>Runs every thread's calls at once (after a barrier) and checks each output against the reference.</summary>
    private static void Hammer(Func<int, KerasModel> modelOf, float[][] expected)
    {
        var problems = new ConcurrentBag<string>();
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int k = 0; k < CallsPerThread; k++)
            {
                int i = (t * CallsPerThread + k) % expected.Length;
                try
                {
                    var y = modelOf(t).Predict(Input(i), [Batch, Features]);
                    var d = G.MaxAbsDiff(expected[i], y);
                    if (d > 1e-6f) problems.Add($"thread {t} call {k}: input {i} differs by {d}");
                }
                catch (Exception e)
                {
                    problems.Add($"thread {t} call {k}: {e.GetType().Name}: {e.Message}");
                }
            }
        })).ToList();
        threads.ForEach(th => th.Start());
        threads.ForEach(th => th.Join());
        Assert.True(problems.IsEmpty, string.Join("\n", problems.Take(20)));
    }

    private const int Batch = 4;
    private const int Features = 16;

    private static float[] Input(int i) => G.Rand(Batch * Features, 1000 + i);

    /// <summary>The answers of one thread on its own model, for 16 different inputs.</summary>
    private static float[][] Reference()
    {
        using var m = KerasModel.FromGraph(Graph(declareInput: true));
        return Enumerable.Range(0, 16).Select(i => m.Predict(Input(i), [Batch, Features])).ToArray();
    }

    /// <summary>Dense → BatchNormalization (inference statistics must stay put) → Dropout (inactive) → Dense softmax.</summary>
    private static ModelGraph Graph(bool declareInput)
    {
        var layers = new List<LayerNode>();
        if (declareInput) layers.Add(G.Input("in", null, Features));
        layers.Add(G.Layer("Dense", "d1", """{"units": 32, "activation": "relu", "use_bias": true}""",
            G.W("d1", "kernel", [Features, 32], 1), G.W("d1", "bias", [32], 2)));
        layers.Add(G.Layer("BatchNormalization", "bn", """{"axis": -1, "epsilon": 0.001, "momentum": 0.99, "center": true, "scale": true}""",
            G.W("bn", "gamma", [32], 3), G.W("bn", "beta", [32], 4), G.W("bn", "moving_mean", [32], 5),
            WeightTensor.FromFloat32("bn/moving_variance:0", [32], G.Rand(32, 6).Select(v => 1 + Math.Abs(v)).ToArray())));
        layers.Add(G.Layer("Dropout", "drop", """{"rate": 0.5}"""));
        layers.Add(G.Layer("Dense", "d2", """{"units": 5, "activation": "softmax", "use_bias": true}""",
            G.W("d2", "kernel", [32, 5], 7), G.W("d2", "bias", [5], 8)));
        return G.Sequential(layers.ToArray());
    }
}
