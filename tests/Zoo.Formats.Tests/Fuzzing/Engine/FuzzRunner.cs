using System.Diagnostics;
using System.Security.Cryptography;

namespace Zoo.Formats.Tests.Fuzzing;

/// <summary>
/// Runs one case: writes the input into a scratch folder, reads it on a fresh thread under a time limit,
/// counts the bytes that thread allocated, and checks the file was not changed by the read.
/// A case that hangs is abandoned on its (background) thread and reported; the next case gets a new folder.
/// </summary>
public sealed class FuzzRunner(string scratchRoot, TimeSpan timeout)
{
    /// <summary>A case still running at this many times the per-case limit is a hang.</summary>
    public const int HangFactor = 6;

    private int counter;

    /// <summary>Threads of hung cases still running; a campaign stops early when too many pile up.</summary>
    public int AbandonedThreads { get; private set; }

    /// <summary>Runs <paramref name="input"/> through <paramref name="format"/>'s reader.</summary>
    public FuzzCaseResult Run(FuzzFormat format, FuzzInput input)
    {
        var dir = Path.Combine(scratchRoot, $"c{Interlocked.Increment(ref counter)}");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, format.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!); // a file name with folders (an image inside a class folder)
        File.WriteAllBytes(path, input.Bytes);
        foreach (var (name, bytes) in input.Companions) File.WriteAllBytes(Path.Combine(dir, name), bytes);
        var before = SHA256.HashData(input.Bytes);

        FuzzCaseResult? result = null;
        var worker = new Thread(() => result = ReadOnce(format, path, input.TotalBytes)) { IsBackground = true, Name = "fuzz-case" };
        var clock = Stopwatch.StartNew();
        worker.Start();
        if (!worker.Join(timeout))
        {
            // Past the limit: a loaded machine (nice 19 beside other builds) can starve a 1 s case for tens of
            // seconds, so only a case still running at HangFactor times the limit is a hang.
            if (!worker.Join(timeout * (HangFactor - 1)))
            {
                AbandonedThreads++;
                return new FuzzCaseResult(FuzzOutcome.Hang, $"still reading after {HangFactor * timeout.TotalSeconds:0.#} s", 0, clock.Elapsed);
            }
            if (!result!.IsFailure)
                result = result with { Outcome = FuzzOutcome.Slow, Detail = $"finished as {result.Outcome} after {clock.Elapsed.TotalSeconds:0.#} s (limit {timeout.TotalSeconds:0.#} s)" };
        }
        try
        {
            if (!SHA256.HashData(File.ReadAllBytes(path)).AsSpan().SequenceEqual(before))
                return result! with { Outcome = FuzzOutcome.InputModified, Detail = "the input file's bytes changed during the read" };
            return result!;
        }
        finally
        {
            TryDelete(dir);
        }
    }

    private static FuzzCaseResult ReadOnce(FuzzFormat format, string path, long inputBytes)
    {
        long start = GC.GetAllocatedBytesForCurrentThread();
        var meter = format.AllocationMeter?.Invoke();
        var clock = Stopwatch.StartNew();
        FuzzOutcome outcome = FuzzOutcome.Ok;
        string? detail = null;
        try
        {
            format.Read(path);
        }
        catch (ZooException)
        {
            outcome = FuzzOutcome.Refused;
        }
        catch (Exception e)
        {
            outcome = FuzzOutcome.Untyped;
            detail = $"{e.GetType().FullName}: {e.Message}\n{TopFrames(e)}";
        }
        long allocated = meter?.Invoke() ?? GC.GetAllocatedBytesForCurrentThread() - start;
        long budget = FuzzLimits.MemoryBudget(inputBytes, format.MemoryFactor, format.MemoryFloorBytes ?? FuzzLimits.MemoryFloorBytes);
        if (outcome != FuzzOutcome.Untyped && allocated > budget)
        {
            detail = $"allocated {allocated} bytes reading {inputBytes} (budget {budget}); outcome was {outcome}";
            outcome = FuzzOutcome.MemoryBlowup;
        }
        return new FuzzCaseResult(outcome, detail, allocated, clock.Elapsed);
    }

    private static string TopFrames(Exception e)
        => string.Join("\n", (e.StackTrace ?? "").Split('\n').Take(8));

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
