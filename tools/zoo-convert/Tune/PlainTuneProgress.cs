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
        var score = result.Score is { } s ? $"{objective.Name} {TuneCommand.Format(s)} (epoch {Epoch(result.BestEpoch ?? 0)})" : $"failed: {result.Error}";
        return $"trial {trial.Id}{where}  {Epochs(trial)}{(trial.ParentId is { } p ? $" from {p}" : "")}  {Values(trial)}  {score}  " +
               (replayed ? "(from log)" : $"{result.Seconds:0.0}s");
    }

    /// <summary>
    /// An epoch as printed: counted from 1, as Keras and <c>finetune</c> print them. The trial log keeps Keras Tuner's
    /// 0-based <c>initial_epoch</c> and <c>best_epoch</c>; only the text adds one.
    /// </summary>
    internal static int Epoch(int zeroBased) => zeroBased + 1;

    /// <summary>The epochs a trial trains, inclusive and counted from 1: "epochs 1–6", "epochs 3–6" for a Hyperband round that resumes.</summary>
    internal static string Epochs(Trial trial) => $"epochs {Epoch(trial.InitialEpoch)}–{trial.Epochs}";

    internal static string Values(Trial trial) => string.Join(" ", trial.Values.Select(v => $"{v.Key}={Short(v.Value)}"));

    private static string Short(string v) => double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && v.Length > 8
        ? d.ToString("G4", System.Globalization.CultureInfo.InvariantCulture) : v;
}
