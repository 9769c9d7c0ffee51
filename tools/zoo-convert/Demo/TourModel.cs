using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Ir;
using Zoo.Models.ModelZoo.Applications;

namespace Zoo.Convert.Demo;

/// <summary>
/// The format tour's model: the zoo's LeNet-5 (10 classes, seeded weights) with everything a real
/// <c>model.save('m.h5')</c> of a compiled, trained tf.keras 2.15 model carries besides — a compiled Adam
/// training config and Adam state.
/// </summary>
internal static class TourModel
{
    public static ModelGraph Build(int seed)
    {
        var graph = LeNet5.Build(new ApplicationOptions { Classes = 10, Seed = seed });
        graph.Metadata.KerasVersion = "2.15.0";
        graph.Metadata.Backend = "tensorflow";
        graph.Metadata.RandomWeights = false; // the tour is about formats, not training
        graph.TrainingConfig = (JsonObject)KerasJson.Parse(TrainingConfig);
        var rng = new Random(seed);
        graph.OptimizerWeights.Add(new WeightTensor("iteration:0", [], DType.Int64, BitConverter.GetBytes(120L)));
        foreach (var w in graph.AllWeights().ToList())
            foreach (var slot in new[] { "m", "v" })
                graph.OptimizerWeights.Add(Tensor($"Adam/{slot}/{w.Name}", w.Shape, rng, slot == "m" ? 1e-3f : 1e-6f, nonNegative: slot == "v"));
        return graph;
    }

    private static WeightTensor Tensor(string name, long[] shape, Random rng, float limit, bool nonNegative = false)
    {
        var values = new float[WeightTensor.ElementCount(shape)];
        for (int i = 0; i < values.Length; i++)
            values[i] = nonNegative ? (float)rng.NextDouble() * limit : ((float)rng.NextDouble() * 2 - 1) * limit;
        return new WeightTensor(name, shape, DType.Float32, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    private const string TrainingConfig = """
        {"loss": "categorical_crossentropy", "metrics": [[{"class_name": "MeanMetricWrapper", "config": {"name": "accuracy", "dtype": "float32", "fn": "categorical_accuracy"}}]], "weighted_metrics": null, "loss_weights": null, "optimizer_config": {"class_name": "Custom>Adam", "config": {"name": "Adam", "weight_decay": null, "clipnorm": null, "global_clipnorm": null, "clipvalue": null, "use_ema": false, "ema_momentum": 0.99, "ema_overwrite_frequency": null, "jit_compile": true, "is_legacy_optimizer": false, "learning_rate": 0.0010000000474974513, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false}}}
        """;
}
