using System.Text.Json.Nodes;
using Zoo.FineTune.Losses;
using Zoo.FineTune.Optimizers;

namespace Zoo.FineTune.Training;

/// <summary>Writes Keras's <c>training_config</c> (what <c>compile</c> was given) as tf.keras 2.15 stores it in HDF5.</summary>
internal static class TrainingConfigWriter
{
    /// <summary>The config for <paramref name="optimizer"/>, <paramref name="loss"/> and Keras's accuracy for that loss.</summary>
    public static JsonObject Write(Optimizer optimizer, Loss loss)
    {
        string fn = loss switch
        {
            BinaryCrossentropyLoss => "binary_accuracy",
            SparseCategoricalCrossentropyLoss => "sparse_categorical_accuracy",
            _ => "categorical_accuracy",
        };
        var metric = new JsonObject
        {
            ["class_name"] = "MeanMetricWrapper",
            ["config"] = new JsonObject { ["name"] = "accuracy", ["dtype"] = "float32", ["fn"] = fn },
        };
        return new JsonObject
        {
            ["loss"] = loss.KerasName,
            ["metrics"] = new JsonArray(new JsonArray(metric)),
            ["weighted_metrics"] = null,
            ["loss_weights"] = null,
            ["optimizer_config"] = optimizer.KerasConfig(),
        };
    }
}
