using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Zoo.Formats.Hdf5;

/// <summary>
/// Writes the payload part of a file while asking Linux to start writing each finished slice to disk. The
/// atomic writer flushes the whole file to disk before its rename; done only at the end, that flush waits
/// for every byte of a multi-hundred-megabyte file at once, while starting the disk writes slice by slice
/// (sync_file_range, as databases do for large files) leaves it little to wait for. Elsewhere, and for any
/// stream that is not a file about to be flushed, the bytes are written plainly.
/// </summary>
internal sealed class H5WriteBehind
{
    private const int SliceSize = 32 << 20, MinRange = 4 << 20;
    private const uint StartWrite = 2; // SYNC_FILE_RANGE_WRITE: start writeback of dirty pages, do not wait
    private static bool unavailable = !OperatingSystem.IsLinux();

    private readonly Stream to;
    private readonly SafeFileHandle? handle;
    private long offset, unstarted;

    /// <summary>Writes to <paramref name="to"/>; starts disk writes behind only when <paramref name="enabled"/> and it is a file.</summary>
    public H5WriteBehind(Stream to, bool enabled)
    {
        this.to = to;
        if (enabled && !unavailable && to is FileStream { CanSeek: true } file)
        {
            handle = file.SafeFileHandle;
            offset = unstarted = file.Position;
        }
    }

    /// <summary>Writes <paramref name="data"/>; with a file, in slices, starting disk writes once a few megabytes are written.</summary>
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
            StartDiskWrite(n);
        }
    }

    private void StartDiskWrite(int length)
    {
        offset += length;
        if (offset - unstarted < MinRange) return;
        try
        {
            // Advisory: a failure only means the final flush has more to do.
            _ = sync_file_range((int)handle!.DangerousGetHandle(), unstarted, offset - unstarted, StartWrite);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            unavailable = true;
        }
        unstarted = offset;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int sync_file_range(int fd, long offset, long length, uint flags);
}
