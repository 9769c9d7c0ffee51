using Zoo.Convert.Commands;
using Zoo.FineTune.Tuning;

namespace Zoo.Convert.Tune;

/// <summary>One line per finished trial (for logs and redirected output): id, bracket/round, epochs, values, score, time.</summary>
internal sealed class PlainTuneProgress(TextWriter output, Objective objective) : ITuningObserver
{
    public void TrialEnded(Trial trial, TrialResult result, bool replayed) => output.WriteLine(Line(trial, result, replayed, objective));

    internal static string Line(Trial trial, TrialResult result, bool replayed, Objective objective)
    {
        var where = trial.Bracket is { } b ? $" bracket {b} round {trial.Round}" : "";
        var score = result.Score is { } s ? $"{objective.Name} {TuneCommand.Format(s)} (epoch {result.BestEpoch})" : $"failed: {result.Error}";
        return $"trial {trial.Id}{where}  epochs {trial.InitialEpoch}→{trial.Epochs}{(trial.ParentId is { } p ? $" from {p}" : "")}  {Values(trial)}  {score}  " +
               (replayed ? "(from log)" : $"{result.Seconds:0.0}s");
    }

    internal static string Values(Trial trial) => string.Join(" ", trial.Values.Select(v => $"{v.Key}={Short(v.Value)}"));

    private static string Short(string v) => double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && v.Length > 8
        ? d.ToString("G4", System.Globalization.CultureInfo.InvariantCulture) : v;
}
