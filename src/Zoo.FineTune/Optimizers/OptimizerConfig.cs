using System.Text.Json.Nodes;
using Zoo.FineTune.Optimizers.Schedules;
using Zoo.Formats;
using Zoo.Formats.Ir;

namespace Zoo.FineTune.Optimizers;

/// <summary>
/// Reads an optimizer back from the config Keras saved with a model: <c>training_config.optimizer_config</c>
/// in HDF5 (tf.keras's <c>Custom&gt;Adam</c> or Keras 2's <c>Adam</c>) or <c>compile_config.optimizer</c> in a
/// Keras 3 archive, with its learning rate as a number or a serialized schedule.
/// </summary>
public static class OptimizerConfig
{
    /// <summary>The optimizer <paramref name="graph"/> was compiled with, or null when it carries none.</summary>
    /// <exception cref="UnsupportedFeatureException">An optimizer or schedule class Zoo does not implement.</exception>
    public static Optimizer? FromGraph(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (graph.TrainingConfig?["optimizer_config"] is JsonObject h5) return FromKerasConfig(h5, "training_config.optimizer_config");
        if (graph.Extras["compile_config"]?["optimizer"] is JsonObject k3)
            return FromKerasConfig(k3, "compile_config.optimizer");
        return null;
    }

    /// <summary>An optimizer from its serialized form (<c>{"class_name", "config"}</c>, with or without Keras 3's module envelope).</summary>
    /// <exception cref="UnsupportedFeatureException">An optimizer or schedule class Zoo does not implement.</exception>
    /// <exception cref="ModelFormatException">A malformed config.</exception>
    public static Optimizer FromKerasConfig(JsonObject serialized, string where = "optimizer")
    {
        ArgumentNullException.ThrowIfNull(serialized);
        var cls = serialized["class_name"] is JsonValue c && c.TryGetValue(out string? s) ? s : "";
        if (cls.StartsWith("Custom>", StringComparison.Ordinal)) cls = cls[7..];
        var config = serialized["config"] as JsonObject ?? new JsonObject();
        var args = new ScheduleArguments(config, $"{where} ({cls})");
        var rate = config["learning_rate"] ?? config["lr"];
        var schedule = rate is JsonObject o ? LearningRateSchedule.FromKerasConfig(o, $"{where}.learning_rate") : null;
        double Lr(double keras) => schedule?.At(0) ?? (rate is null ? keras : args.Number(config["learning_rate"] is null ? "lr" : "learning_rate"));
        return cls switch
        {
            "SGD" => new Sgd(Lr(0.01), args.Number("momentum", 0), args.Flag("nesterov")) { Schedule = schedule },
            "Adam" => new Adam(Lr(0.001), args.Number("beta_1", 0.9), args.Number("beta_2", 0.999), args.Number("epsilon", 1e-7)) { Schedule = schedule },
            "RMSprop" => new RmsProp(Lr(0.001), args.Number("rho", 0.9), args.Number("momentum", 0), args.Number("epsilon", 1e-7), args.Flag("centered"))
                { Schedule = schedule },
            _ => throw new UnsupportedFeatureException($"{where}: optimizer '{cls}' is not supported; expected SGD, Adam or RMSprop"),
        };
    }
}
