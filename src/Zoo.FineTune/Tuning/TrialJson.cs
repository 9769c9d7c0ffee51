using System.Text.Json.Nodes;

namespace Zoo.FineTune.Tuning;

/// <summary>A trial and its result as one JSON object (a line of the trial log, an element of <c>trials.json</c>). Non-finite numbers are written as null.</summary>
public static class TrialJson
{
    /// <summary>The JSON object of <paramref name="trial"/> and <paramref name="result"/>.</summary>
    public static JsonObject Write(Trial trial, TrialResult result)
    {
        var values = new JsonObject();
        foreach (var (k, v) in trial.Values) values[k] = v;
        var metrics = new JsonObject();
        foreach (var (k, v) in result.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
            metrics[k] = new JsonArray(v.Select(x => (JsonNode?)Number(x)).ToArray());
        return new JsonObject
        {
            ["id"] = trial.Id,
            ["index"] = trial.Index,
            ["values"] = values,
            ["initial_epoch"] = trial.InitialEpoch,
            ["epochs"] = trial.Epochs,
            ["parent"] = trial.ParentId,
            ["bracket"] = trial.Bracket,
            ["round"] = trial.Round,
            ["status"] = result.Status == TrialStatus.Completed ? "completed" : "failed",
            ["score"] = result.Score is { } s ? Number(s) : null,
            ["best_epoch"] = result.BestEpoch,
            ["epochs_run"] = result.EpochsRun,
            ["seconds"] = Math.Round(result.Seconds, 3),
            ["metrics"] = metrics,
            ["error"] = result.Error,
        };
    }

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    public static (Trial Trial, TrialResult Result) Read(JsonObject o)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in o["values"]!.AsObject()) values[k] = v!.GetValue<string>();
        var trial = new Trial(o["id"]!.GetValue<string>(), o["index"]!.GetValue<int>(), values, o["initial_epoch"]!.GetValue<int>(), o["epochs"]!.GetValue<int>(),
            o["parent"]?.GetValue<string>(), o["bracket"]?.GetValue<int>(), o["round"]?.GetValue<int>());
        var metrics = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var (k, v) in o["metrics"]!.AsObject()) metrics[k] = v!.AsArray().Select(x => x?.GetValue<double>() ?? double.NaN).ToArray();
        var status = o["status"]!.GetValue<string>() switch
        {
            "completed" => TrialStatus.Completed,
            "failed" => TrialStatus.Failed,
            var s => throw new FormatException($"status '{s}'"),
        };
        return (trial, new TrialResult(status, o["score"]?.GetValue<double>(), o["best_epoch"]?.GetValue<int>(), o["epochs_run"]!.GetValue<int>(),
            o["seconds"]!.GetValue<double>(), metrics, o["error"]?.GetValue<string>()));
    }

    private static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
