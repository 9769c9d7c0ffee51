using System.Globalization;
using System.Text.Json.Nodes;
using Zoo.Formats;

namespace Zoo.FineTune.Optimizers.Schedules;

/// <summary>
/// Keras's <c>keras.optimizers.schedules.LearningRateSchedule</c>: the learning rate as a function of the
/// optimizer step, evaluated before every update with the number of updates already applied (0 for the
/// first), exactly as a Keras optimizer calls <c>schedule(optimizer.iterations)</c>. Set one on an optimizer
/// through <see cref="Optimizer.Schedule"/>; it is saved inside the optimizer's config in Keras's form.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for the update that follows <paramref name="step"/> applied updates.</summary>
    public abstract double At(long step);

    /// <summary>Keras's class name (<c>ExponentialDecay</c>, …).</summary>
    public abstract string KerasClassName { get; }

    /// <summary>The schedule's <c>name</c> argument.</summary>
    public string Name { get; init; } = "";

    /// <summary>The arguments of <c>get_config()</c>, in Keras's order.</summary>
    protected abstract IEnumerable<(string Key, JsonNode? Value)> ConfigEntries();

    /// <summary>
    /// The schedule as Keras serializes it (<c>serialize_keras_object</c>): <c>{"module":
    /// "keras.optimizers.schedules", "class_name": …, "config": {…}, "registered_name": null}</c>, which both
    /// tf.keras 2.13+ and Keras 3 read.
    /// </summary>
    public JsonObject KerasConfig()
    {
        var config = new JsonObject();
        foreach (var (k, v) in ConfigEntries()) config[k] = v;
        return new JsonObject
        {
            ["module"] = "keras.optimizers.schedules", ["class_name"] = KerasClassName, ["config"] = config, ["registered_name"] = null,
        };
    }

    /// <summary>
    /// Reads a serialized schedule: the Keras 3 / tf.keras 2.13+ envelope or the older
    /// <c>{"class_name", "config"}</c> pair. <paramref name="where"/> names it in errors.
    /// </summary>
    /// <exception cref="UnsupportedFeatureException">A schedule class Zoo does not implement.</exception>
    /// <exception cref="ModelFormatException">A malformed config.</exception>
    public static LearningRateSchedule FromKerasConfig(JsonObject serialized, string where)
    {
        ArgumentNullException.ThrowIfNull(serialized);
        var cls = serialized["class_name"] is JsonValue c && c.TryGetValue(out string? s) ? s : null;
        var config = serialized["config"] as JsonObject
            ?? throw new ModelFormatException($"{where}: a learning-rate schedule needs a \"config\" object, found {serialized.ToJsonString()}");
        var r = new ScheduleArguments(config, $"{where} ({cls})");
        try { return Create(cls, r, where); }
        catch (ArgumentException e)
        {
            // Arguments Keras would refuse too (decay_steps ≤ 0, boundaries and values that do not pair up).
            throw new ModelFormatException($"{where} ({cls}): {e.Message}");
        }
    }

    private static LearningRateSchedule Create(string? cls, ScheduleArguments r, string where)
    {
        return cls switch
        {
            "ExponentialDecay" => new ExponentialDecay(r.Number("initial_learning_rate"), r.Number("decay_steps"), r.Number("decay_rate"), r.Flag("staircase"))
                { Name = r.Text("ExponentialDecay") },
            "InverseTimeDecay" => new InverseTimeDecay(r.Number("initial_learning_rate"), r.Number("decay_steps"), r.Number("decay_rate"), r.Flag("staircase"))
                { Name = r.Text("InverseTimeDecay") },
            "PolynomialDecay" => new PolynomialDecay(r.Number("initial_learning_rate"), r.Number("decay_steps"), r.Number("end_learning_rate", 0.0001),
                r.Number("power", 1.0), r.Flag("cycle")) { Name = r.Text("PolynomialDecay") },
            "CosineDecay" => new CosineDecay(r.Number("initial_learning_rate"), r.Number("decay_steps"), r.Number("alpha", 0.0),
                r.OptionalNumber("warmup_target"), r.Number("warmup_steps", 0)) { Name = r.Text("CosineDecay") },
            "PiecewiseConstantDecay" => new PiecewiseConstantDecay(r.Numbers("boundaries"), r.Numbers("values")) { Name = r.Text("PiecewiseConstant") },
            _ => throw new UnsupportedFeatureException(
                $"{where}: learning-rate schedule '{cls}' is not supported; expected ExponentialDecay, InverseTimeDecay, PolynomialDecay, CosineDecay or PiecewiseConstantDecay"),
        };
    }

    /// <summary>Checks that a step count argument is positive.</summary>
    protected static double Positive(double value, string name)
        => value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be > 0");

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{KerasClassName}({KerasConfig()["config"]!.ToJsonString()})");
}
