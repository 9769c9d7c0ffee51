using Microsoft.Win32.SafeHandles;

namespace Zoo.Formats.Hdf5;

/// <summary>
/// Writes large payloads to a file while the bytes already written are flushed to disk in the background.
/// The atomic writer flushes the whole file to disk before its rename; done only at the end, that flush
/// waits for every byte of a multi-hundred-megabyte file at once, while overlapping it with the writing
/// leaves only the last slice to wait for. Anything but a file that will be flushed anyway is written plainly.
/// </summary>
internal sealed class H5WriteBehind : IDisposable
{
    private const int SliceSize = 32 << 20;

    private readonly Stream to;
    private readonly SafeFileHandle? handle;
    private Task? flushing;
    private long unflushed;

    /// <summary>Writes to <paramref name="to"/>; flushes behind only when <paramref name="enabled"/> and it is a file.</summary>
    public H5WriteBehind(Stream to, bool enabled)
    {
        this.to = to;
        handle = enabled && to is FileStream { CanSeek: true } file ? file.SafeFileHandle : null;
    }

    /// <summary>Writes <paramref name="data"/> in slices, starting a background flush whenever a slice's worth is unflushed and none is running.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (handle is null)
        {
            to.Write(data);
            return;
        }
        while (data.Length > 0)
        {
            int n = Math.Min(SliceSize, data.Length);
            to.Write(data[..n]);
            data = data[n..];
            unflushed += n;
            if (unflushed >= SliceSize && flushing is not { IsCompleted: false }) StartFlush();
        }
    }

    /// <summary>Waits for the background flush, surfacing its I/O error if it failed.</summary>
    public void Finish()
    {
        var last = flushing;
        flushing = null;
        last?.GetAwaiter().GetResult();
    }

    /// <summary>Waits for a flush still running (after a failed write), so it never outlives the file handle; its error is moot then.</summary>
    public void Dispose()
    {
        try { flushing?.Wait(); }
        catch (AggregateException) { }
        flushing = null;
    }

    private void StartFlush()
    {
        // A failed earlier flush must not pass silently.
        flushing?.GetAwaiter().GetResult();
        unflushed = 0;
        var h = handle!;
        flushing = Task.Run(() => RandomAccess.FlushToDisk(h));
    }
}
