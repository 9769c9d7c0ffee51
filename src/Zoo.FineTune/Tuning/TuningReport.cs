using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Zoo.Formats;
using Zoo.Formats.IO;

namespace Zoo.FineTune.Tuning;

/// <summary>
/// The results of a search as files: <c>trials.json</c> (search description, objective, stop reason, baseline,
/// best and every trial), <c>trials.csv</c> (one row a trial: id, bracket, round, every parameter, score,
/// best epoch, epochs, seconds, status), <c>scores.png</c> (<see cref="ScorePlot"/>), and the best trial's model.
/// </summary>
public static class TuningReport
{
    /// <summary>Writes <c>trials.json</c>, <c>trials.csv</c> and <c>scores.png</c> into <paramref name="folder"/>.</summary>
    public static void Write(TuningResult result, IReadOnlyDictionary<string, string> description, string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteText(Path.Combine(folder, "trials.json"), ToJson(result, description));
        AtomicFile.WriteText(Path.Combine(folder, "trials.csv"), ToCsv(result));
        ScorePlot.SavePng(result, Path.Combine(folder, "scores.png"));
    }

    /// <summary>Saves trial <paramref name="best"/>'s checkpoint (kept in <paramref name="searchFolder"/>) as <paramref name="path"/> (format from its name unless <paramref name="options"/> names one).</summary>
    public static void SaveBest(string searchFolder, TrialRecord best, string path, SaveOptions? options = null)
        => KerasFile.Save(KerasFile.Load(Tuner.CheckpointPath(searchFolder, best.Trial.Id)), path, options);

    /// <summary>The JSON report.</summary>
    public static string ToJson(TuningResult result, IReadOnlyDictionary<string, string> description)
    {
        var search = new JsonObject();
        foreach (var (k, v) in description) search[k] = v;
        var o = new JsonObject
        {
            ["search"] = search,
            ["objective"] = result.Objective.ToString(),
            ["stopped"] = result.Reason.ToString().ToLowerInvariant(),
            ["best"] = result.Best?.Trial.Id,
            ["best_score"] = result.Best?.Result.Score,
            ["baseline_score"] = result.Baseline?.Result.Score,
            ["baseline"] = result.Baseline is { } b ? TrialJson.Write(b.Trial, b.Result) : null,
            ["trials"] = new JsonArray(result.Trials.Select(r => (JsonNode?)TrialJson.Write(r.Trial, r.Result)).ToArray()),
        };
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>The CSV report (baseline first when present).</summary>
    public static string ToCsv(TuningResult result)
    {
        var rows = (result.Baseline is { } b ? new[] { b } : Array.Empty<TrialRecord>()).Concat(result.Trials).ToList();
        var names = rows.SelectMany(r => r.Trial.Values.Keys).Distinct().OrderBy(k => KnownParameters.Order.ToList().IndexOf(k)).ToArray();
        var sb = new StringBuilder("trial,bracket,round,parent,initial_epoch,epochs");
        foreach (var n in names) sb.Append(',').Append(n);
        sb.Append(",score,best_epoch,epochs_run,seconds,status\n");
        foreach (var (t, r, _) in rows)
        {
            sb.Append(t.Id).Append(',').Append(Int(t.Bracket)).Append(',').Append(Int(t.Round)).Append(',').Append(t.ParentId ?? "")
              .Append(',').Append(t.InitialEpoch).Append(',').Append(t.Epochs);
            foreach (var n in names) sb.Append(',').Append(t.Values.TryGetValue(n, out var v) ? Csv(v) : "");
            sb.Append(',').Append(r.Score?.ToString("R", CultureInfo.InvariantCulture) ?? "").Append(',').Append(Int(r.BestEpoch))
              .Append(',').Append(r.EpochsRun).Append(',').Append(r.Seconds.ToString("0.###", CultureInfo.InvariantCulture))
              .Append(',').Append(r.Status == TrialStatus.Completed ? "completed" : "failed").Append('\n');
        }
        return sb.ToString();
    }

    private static string Int(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Csv(string v) => v.IndexOfAny(new[] { ',', '"', '\n' }) >= 0 ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;
}
