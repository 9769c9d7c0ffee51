using System.Globalization;
using Zoo.FineTune.Callbacks;
using Zoo.FineTune.Freezing;
using Zoo.FineTune.Optimizers;

namespace Zoo.FineTune.Tuning;

/// <summary>A trial's configuration with every parameter resolved (sampled, or Zoo's default) and typed.</summary>
public sealed record TrialHyperparameters(double LearningRate, int BatchSize, string Optimizer, double Dropout, string Schedule, FreezePolicy Policy, FreezeCut Cut)
{
    /// <summary>Resolves <paramref name="values"/> (a trial's sampled values), filling the rest with Zoo's defaults.</summary>
    /// <exception cref="SearchSpaceException">A value is not legal for its parameter.</exception>
    public static TrialHyperparameters From(IReadOnlyDictionary<string, string> values)
    {
        string Get(string name)
        {
            var v = values.TryGetValue(name, out var s) ? s : KnownParameters.DefaultOf(name);
            KnownParameters.Check(name, v);
            return v;
        }
        var policy = Enum.Parse<FreezePolicy>(Get(KnownParameters.Policy), ignoreCase: true);
        var cutText = Get(KnownParameters.Cut);
        FreezeCut cut = KnownParameters.Real(cutText) switch
        {
            { } n when n >= 1 => FreezeCut.LastStages((int)n),
            { } f => FreezeCut.Fraction(f),
            null => FreezeCut.AtLayer(cutText),
        };
        return new TrialHyperparameters(
            double.Parse(Get(KnownParameters.LearningRate), CultureInfo.InvariantCulture),
            int.Parse(Get(KnownParameters.BatchSize), CultureInfo.InvariantCulture),
            Get(KnownParameters.Optimizer),
            double.Parse(Get(KnownParameters.Dropout), CultureInfo.InvariantCulture),
            Get(KnownParameters.Schedule), policy, cut);
    }

    /// <summary>A fresh optimizer: Adam and RMSprop with Keras's defaults, SGD with momentum 0.9.</summary>
    public Optimizer CreateOptimizer() => Optimizer switch
    {
        "sgd" => new Sgd(LearningRate, momentum: 0.9),
        "rmsprop" => new RmsProp(LearningRate),
        _ => new Adam(LearningRate),
    };

    /// <summary>
    /// The schedule as a function of the absolute epoch (a promoted trial continues its parent's epochs), or null
    /// for a constant rate: <c>lecture</c> (<see cref="Schedules.Lecture"/>), <c>exponential</c> (×0.9 per epoch),
    /// <c>step</c> (halved every 3 epochs), <c>cosine</c> (to 0 over <paramref name="maxEpochs"/>).
    /// </summary>
    public Func<int, double, double>? CreateSchedule(int maxEpochs) => Schedule switch
    {
        "lecture" => Schedules.Lecture(LearningRate),
        "exponential" => Schedules.Exponential(LearningRate, 0.9),
        "step" => Schedules.Step(LearningRate, 0.5, 3),
        "cosine" => Schedules.Cosine(LearningRate, Math.Max(1, maxEpochs)),
        _ => null,
    };
}
