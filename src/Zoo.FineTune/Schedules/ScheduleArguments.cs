using System.Text.Json.Nodes;
using Zoo.Formats;

namespace Zoo.FineTune.Optimizers.Schedules;

/// <summary>Typed reads of a schedule's config, with errors that name the schedule and the argument.</summary>
internal sealed class ScheduleArguments(JsonObject config, string where)
{
    public double Number(string key, double? fallback = null)
        => OptionalNumber(key) ?? fallback ?? throw new ModelFormatException($"{where}: \"{key}\" is required, found none");

    public double? OptionalNumber(string key) => config[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out double d) => d,
        var other => throw new ModelFormatException($"{where}: \"{key}\" must be a number, found {other.ToJsonString()}"),
    };

    public bool Flag(string key) => config[key] switch
    {
        null => false,
        JsonValue v when v.TryGetValue(out bool b) => b,
        var other => throw new ModelFormatException($"{where}: \"{key}\" must be true or false, found {other.ToJsonString()}"),
    };

    public string Text(string fallback) => config["name"] is JsonValue v && v.TryGetValue(out string? s) ? s : fallback;

    public double[] Numbers(string key) => config[key] is JsonArray a
        ? a.Select((n, i) => n is JsonValue v && v.TryGetValue(out double d) ? d
            : throw new ModelFormatException($"{where}: \"{key}\"[{i}] must be a number, found {n?.ToJsonString() ?? "null"}")).ToArray()
        : throw new ModelFormatException($"{where}: \"{key}\" must be a list of numbers, found {config[key]?.ToJsonString() ?? "none"}");
}
