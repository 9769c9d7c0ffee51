using System.Globalization;

namespace Zoo.FineTune.Freezing;

/// <summary>
/// The rules behind <see cref="FreezePolicy.Auto"/>: a small dataset cannot retrain many weights without
/// overfitting, so only the head trains (or, when the data differs from the original task, the late
/// task-specific stages too); a medium one retrains the late stages; a large one retrains everything.
/// </summary>
public static class AutoPolicy
{
    /// <summary>The policy for <paramref name="samples"/> training samples and optional <paramref name="similarity"/>, with the reasoning.</summary>
    public static (FreezePolicy Policy, string Reason) Choose(long samples, double? similarity, AutoThresholds t)
    {
        if (samples < 0) throw new ArgumentOutOfRangeException(nameof(samples), samples, "the dataset size cannot be negative");
        var n = samples.ToString("N0", CultureInfo.InvariantCulture);
        bool? similar = similarity is { } s ? s >= t.SimilarFrom : null;
        string sim = similarity is { } v ? $"similarity {v.ToString("0.##", CultureInfo.InvariantCulture)} ({(similar == true ? "close to" : "far from")} the original task)" : "similarity unknown";
        if (samples < t.SmallBelow)
            return similar == false
                ? (FreezePolicy.Medium, $"{n} samples < {t.SmallBelow:N0} is small, but {sim}: the late stages' features are task-specific, so they retrain with the head (medium)")
                : (FreezePolicy.Small, $"{n} samples < {t.SmallBelow:N0} is small and {sim}: only the head trains, the base's features are reused as they are (small)");
        if (samples < t.LargeFrom)
            return similar == false
                ? (FreezePolicy.Large, $"{n} samples is medium-sized and {sim}: enough data to adapt every layer to the new task (large)")
                : (FreezePolicy.Medium, $"{n} samples is medium-sized ({t.SmallBelow:N0}–{t.LargeFrom:N0}) and {sim}: the early generic stages stay frozen, the last stage and the head train (medium)");
        return (FreezePolicy.Large, $"{n} samples ≥ {t.LargeFrom:N0} is large ({sim}): the whole model trains, starting from the imported weights (large)");
    }
}
