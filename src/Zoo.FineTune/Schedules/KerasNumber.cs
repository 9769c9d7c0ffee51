using System.Text.Json.Nodes;

namespace Zoo.FineTune.Optimizers.Schedules;

/// <summary>Writes whole step counts as JSON integers (as Python writes an <c>int</c>), others as numbers.</summary>
internal static class KerasNumber
{
    public static JsonNode Of(double value)
        => value == Math.Floor(value) && Math.Abs(value) < 1e15 ? JsonValue.Create((long)value) : JsonValue.Create(value);
}
