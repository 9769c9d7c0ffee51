using System.Diagnostics;

namespace Zoo.Formats;

/// <summary>
/// One command's allowance for what its readers decode from untrusted files: every reader asks it before
/// allocating (tensor data, attribute and string data, inflated archive entries, weight shards), so a small
/// file that declares gigabytes is refused while the declaration is read, and several objects that each look
/// reasonable cannot add up to more than the total. The allowance is <see cref="MaxBytes"/> plus the size of
/// the input files counted so far: a 528 MB model file may decode its 528 MB of weights, a 40 KB file may not.
/// </summary>
/// <remarks>
/// Readers find the budget in <see cref="LoadOptions.Budget"/>, else the one a caller made current with
/// <see cref="Enter"/> (the CLI does this once per command), else a fresh one per top-level load built from
/// <see cref="LoadOptions.MaxMemoryBytes"/>. Thread-safe: readers that decode on pool threads share it.
/// </remarks>
public sealed class ReadBudget
{
    /// <summary>Default <see cref="MaxBytes"/>: 512 MiB, which keeps a refused command well under 1 GB of memory.</summary>
    public const long DefaultMaxBytes = 512L << 20;

    /// <summary>Default <see cref="MaxDecodeTime"/>: generous for real files, finite for crafted ones.</summary>
    public static readonly TimeSpan DefaultMaxDecodeTime = TimeSpan.FromMinutes(10);

    private static readonly AsyncLocal<ReadBudget?> current = new();

    private long used;
    private int readers;
    private long readStarted = Stopwatch.GetTimestamp();
    private long inputs;

    /// <summary>Creates a budget of <paramref name="maxBytes"/> beyond the inputs' own size and <paramref name="maxDecodeTime"/> of decoding.</summary>
    public ReadBudget(long maxBytes = DefaultMaxBytes, TimeSpan? maxDecodeTime = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        MaxBytes = maxBytes;
        MaxDecodeTime = maxDecodeTime ?? DefaultMaxDecodeTime;
    }

    /// <summary>Bytes the readers may decode on top of the size of the input files they counted.</summary>
    public long MaxBytes { get; }

    /// <summary>Wall time decoders (compression filters, archive inflation) may run, counted from the start of the outermost read in progress.</summary>
    public TimeSpan MaxDecodeTime { get; }

    /// <summary>Bytes reserved so far.</summary>
    public long Used => Interlocked.Read(ref used);

    /// <summary>Total size of the input files counted so far.</summary>
    public long InputBytes => Interlocked.Read(ref inputs);

    /// <summary>The current allowance: <see cref="MaxBytes"/> plus <see cref="InputBytes"/>.</summary>
    public long Limit => Saturating(MaxBytes, InputBytes);

    /// <summary>The budget made current by <see cref="Enter"/> on this call path, or null.</summary>
    public static ReadBudget? Current => current.Value;

    /// <summary>The budget readers use under <paramref name="options"/>: its own, the current one, or a new one.</summary>
    public static ReadBudget For(LoadOptions? options)
        => options?.Budget ?? Current ?? new ReadBudget(options?.MaxMemoryBytes ?? DefaultMaxBytes);

    /// <summary>
    /// The budget for a reader's entry point under <paramref name="options"/>, made current until the result is
    /// disposed (when it is not already), so that the readers it calls share it.
    /// </summary>
    internal static IDisposable Use(LoadOptions? options, out ReadBudget budget)
    {
        var b = budget = For(options);
        // A command may train for hours between reads: the decode clock runs only while a read is in progress.
        if (Interlocked.Increment(ref b.readers) == 1) Interlocked.Exchange(ref b.readStarted, Stopwatch.GetTimestamp());
        var entered = ReferenceEquals(b, Current) ? null : b.Enter();
        return new Scope(() =>
        {
            entered?.Dispose();
            Interlocked.Decrement(ref b.readers);
        });
    }

    /// <summary>Makes this budget current for the calling flow (and the tasks it starts) until the result is disposed.</summary>
    public IDisposable Enter()
    {
        var previous = current.Value;
        current.Value = this;
        return new Scope(() => current.Value = previous);
    }

    /// <summary>Counts an input file of <paramref name="bytes"/> bytes: the allowance grows by its size.</summary>
    public void CountInput(long bytes)
    {
        if (bytes > 0) Interlocked.Add(ref inputs, bytes);
    }

    /// <summary>
    /// Reserves <paramref name="bytes"/> that are about to be allocated and kept; throws
    /// <see cref="UnsafeModelException"/> naming <paramref name="what"/> when the total would pass <see cref="Limit"/>.
    /// </summary>
    public void Reserve(long bytes, string what, string? file, string? objectPath)
    {
        if (bytes <= 0) return;
        long after = Interlocked.Add(ref used, bytes);
        if (after < 0 || after > Limit)
        {
            Interlocked.Add(ref used, -bytes);
            throw Refuse(bytes, what, file, objectPath);
        }
    }

    /// <summary>
    /// Checks that <paramref name="bytes"/> more could be allocated for a moment (a decompression buffer, a copy
    /// made while converting) without keeping them reserved.
    /// </summary>
    public void RequireHeadroom(long bytes, string what, string? file, string? objectPath)
    {
        if (bytes > 0 && (bytes > Limit || Used > Limit - bytes)) throw Refuse(bytes, what, file, objectPath);
    }

    /// <summary>Throws <see cref="UnsafeModelException"/> once decoding has run past <see cref="MaxDecodeTime"/>.</summary>
    public void CheckTime(string what, string? file, string? objectPath)
    {
        if (Stopwatch.GetElapsedTime(Interlocked.Read(ref readStarted)) > MaxDecodeTime)
            throw new UnsafeModelException($"{what} is still decoding after {MaxDecodeTime.TotalSeconds:0} s, the decode time limit (ReadBudget.MaxDecodeTime)", file, objectPath);
    }

    private UnsafeModelException Refuse(long bytes, string what, string? file, string? objectPath)
        => new($"{what} needs {bytes:N0} bytes, which would bring what this command decodes to {Saturating(Used, bytes):N0} bytes, over its budget of {Limit:N0} " +
               $"({MaxBytes:N0} plus the {InputBytes:N0} bytes of its input files; raise LoadOptions.MaxMemoryBytes, or --max-memory on the command line, for a file you trust)",
            file, objectPath);

    private static long Saturating(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    private sealed class Scope(Action exit) : IDisposable
    {
        private Action? onExit = exit;

        public void Dispose()
        {
            onExit?.Invoke();
            onExit = null;
        }
    }
}
