namespace Zoo.Formats.Tests.Fuzzing;

/// <summary>What one fuzz case did to a reader.</summary>
public enum FuzzOutcome
{
    /// <summary>The reader accepted the input.</summary>
    Ok,
    /// <summary>The reader refused it with a <see cref="ZooException"/> subclass: the only allowed failure.</summary>
    Refused,
    /// <summary>Any other exception escaped the reader.</summary>
    Untyped,
    /// <summary>The reader was still running at <see cref="FuzzRunner.HangFactor"/> times the per-case time limit.</summary>
    Hang,
    /// <summary>The reader allocated more than the input size allows (declared sizes not checked before allocating).</summary>
    MemoryBlowup,
    /// <summary>The reader changed its input file.</summary>
    InputModified,
    /// <summary>
    /// The reader passed the per-case limit but finished before the hang limit (a starved thread on a loaded
    /// machine, or a slow path worth a look); its real outcome was Ok or Refused. Not a failure.
    /// </summary>
    Slow,
}

/// <summary>One case's result: the outcome, what escaped (for failures), and the bytes allocated reading it.</summary>
/// <param name="Outcome">The outcome.</param>
/// <param name="Detail">Exception type and message, or why it failed; null when it read fine.</param>
/// <param name="AllocatedBytes">Bytes the reading thread allocated.</param>
/// <param name="Elapsed">Wall time of the read.</param>
public sealed record FuzzCaseResult(FuzzOutcome Outcome, string? Detail, long AllocatedBytes, TimeSpan Elapsed)
{
    /// <summary>True for the outcomes a hardened reader must never produce.</summary>
    public bool IsFailure => Outcome is not (FuzzOutcome.Ok or FuzzOutcome.Refused or FuzzOutcome.Slow);
}
