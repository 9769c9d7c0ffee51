using System.Text.Json.Nodes;
using Zoo.FineTune.Losses;
using Zoo.FineTune.Optimizers;

namespace Zoo.FineTune.Training;

/// <summary>Writes Keras's <c>training_config</c> (what <c>compile</c> was given) as tf.keras 2.15 stores it in HDF5.</summary>
internal static class TrainingConfigWriter
{
    /// <summary>The config for <paramref name="optimizer"/>, <paramref name="loss"/> and Keras's accuracy for that loss.</summary>
    public static JsonObject Write(Optimizer optimizer, Loss loss)
        => new()
        {
            ["loss"] = loss.KerasName,
            ["metrics"] = new JsonArray(new JsonArray(Accuracy(loss))),
            ["weighted_metrics"] = null,
            ["loss_weights"] = null,
            ["optimizer_config"] = optimizer.KerasConfig(),
        };

    /// <summary>
    /// The config of a several-output compile: <c>loss</c>, <c>metrics</c> and <c>loss_weights</c> as dicts keyed
    /// by output name, which tf.keras and Keras 3 both accept.
    /// </summary>
    public static JsonObject Write(Optimizer optimizer, IReadOnlyList<(string Output, Loss Loss, double Weight)> outputs)
        => new()
        {
            ["loss"] = new JsonObject(outputs.Select(o => KeyValuePair.Create(o.Output, (JsonNode?)o.Loss.KerasName))),
            ["metrics"] = new JsonObject(outputs.Select(o => KeyValuePair.Create(o.Output, (JsonNode?)new JsonArray(Accuracy(o.Loss))))),
            ["weighted_metrics"] = null,
            ["loss_weights"] = new JsonObject(outputs.Select(o => KeyValuePair.Create(o.Output, (JsonNode?)o.Weight))),
            ["optimizer_config"] = optimizer.KerasConfig(),
        };

    private static JsonObject Accuracy(Loss loss)
    {
        string fn = loss switch
        {
            BinaryCrossentropyLoss => "binary_accuracy",
            SparseCategoricalCrossentropyLoss => "sparse_categorical_accuracy",
            _ => "categorical_accuracy",
        };
        return new JsonObject
        {
            ["class_name"] = "MeanMetricWrapper",
            ["config"] = new JsonObject { ["name"] = "accuracy", ["dtype"] = "float32", ["fn"] = fn },
        };
    }
}
