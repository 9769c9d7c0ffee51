using Zoo.FineTune.Callbacks;

namespace Zoo.FineTune.Tests.Support;

/// <summary>Overwrites one log entry with a scripted value per epoch, so callbacks after it see a known sequence.</summary>
internal sealed class ScriptedLogs(string key, params double[] values) : Callback
{
    public override void OnEpochEnd(int epoch, IDictionary<string, double> logs, TrainingContext context) => logs[key] = values[epoch];
}

/// <summary>Records the learning rate at the start of each epoch.</summary>
internal sealed class RateRecorder : Callback
{
    public List<double> Rates { get; } = new();

    public override void OnEpochBegin(int epoch, TrainingContext context) => Rates.Add(context.Optimizer.LearningRate);
}

/// <summary>Keeps the exported graph after every epoch.</summary>
internal sealed class GraphRecorder : Callback
{
    public List<Zoo.Formats.Ir.ModelGraph> Graphs { get; } = new();

    public override void OnEpochEnd(int epoch, IDictionary<string, double> logs, TrainingContext context) => Graphs.Add(context.Model.ExportGraph());
}
