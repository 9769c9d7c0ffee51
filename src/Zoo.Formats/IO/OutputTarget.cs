namespace Zoo.Formats.IO;

/// <summary>
/// Where a writer's bytes go, decided before anything is written. A regular file (or nothing yet) is replaced
/// atomically: the bytes go to a temporary file beside it, which is renamed over it; a path that is a symbolic
/// link is resolved first, so the file it points to is replaced and the link stays. A character device or a FIFO
/// (<c>/dev/null</c>, <c>/dev/stdout</c>, a named pipe) is written to directly and never renamed over, which
/// would replace the device itself. Anything else (a directory, a socket, a block device) is refused.
/// </summary>
public sealed class OutputTarget
{
    private OutputTarget(string path, string writePath, FileKind kind, bool direct)
    {
        Path = path;
        WritePath = writePath;
        Kind = kind;
        IsDirect = direct;
    }

    /// <summary>The path as asked for, made absolute.</summary>
    public string Path { get; }

    /// <summary>The path the bytes are written to: the final target of a symbolic link, else <see cref="Path"/>.</summary>
    public string WritePath { get; }

    /// <summary>What is at the target now (<see cref="FileKind.Missing"/> for a new file).</summary>
    public FileKind Kind { get; }

    /// <summary>True when the bytes are written into the existing object (a device, a pipe, standard output) rather than renamed into place.</summary>
    public bool IsDirect { get; }

    /// <summary>True when the target is this process's standard output.</summary>
    public bool IsStandardOutput => StandardStream(Path) == 1;

    /// <summary>Inspects <paramref name="path"/> and decides how to write it.</summary>
    /// <exception cref="OutputPathException">The path is a directory, a socket or a block device.</exception>
    /// <exception cref="ZooException">The path cannot be inspected (a link loop, a missing folder).</exception>
    public static OutputTarget Resolve(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var kind = FileStatus.Of(full).Kind;
        switch (kind)
        {
            case FileKind.CharacterDevice or FileKind.Fifo:
                return new(full, full, kind, direct: true);
            case FileKind.Regular when StandardStream(full) > 0 || IsDescriptorAlias(full):
                // A redirected standard stream: renaming over the file the shell opened would detach the output from it.
                return new(full, full, kind, direct: true);
            case FileKind.Regular or FileKind.Missing:
                var final = FinalTarget(full);
                var folder = System.IO.Path.GetDirectoryName(final)!;
                if (!Directory.Exists(folder)) throw new ZooException("expected an existing output folder, found none", final);
                return new(full, final, kind, direct: false);
            default:
                throw new OutputPathException(
                    $"expected a regular file, a character device or a FIFO to write to, found {FileStatus.Describe(kind)}", full);
        }
    }

    /// <summary>
    /// Writes via <paramref name="write"/>: atomically (temporary file, then rename) for a regular file, or by copying
    /// the finished bytes into a device or pipe. The writer always gets a seekable stream, so its bytes are the same
    /// whatever the target.
    /// </summary>
    public void Write(Action<Stream> write)
    {
        try
        {
            if (IsDirect) WriteDirect(write);
            else WriteAtomic(write);
        }
        catch (IOException e)
        {
            throw new ZooException($"expected to write the file, found an I/O error: {e.Message}", Path, null, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ZooException("expected a writable output path, found access denied", Path, null, e);
        }
    }

    private void WriteAtomic(Action<Stream> write)
    {
        var dir = System.IO.Path.GetDirectoryName(WritePath)!;
        var temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(WritePath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            // The target may have become something else since it was inspected; never rename over a non-file.
            var now = FileStatus.OfLink(WritePath).Kind;
            if (now is not (FileKind.Regular or FileKind.Missing))
                throw new OutputPathException($"expected a regular file to replace, found {FileStatus.Describe(now)}", WritePath);
            File.Move(temp, WritePath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private void WriteDirect(Action<Stream> write)
    {
        // Writers may seek (zip headers), and a pipe cannot: stage the bytes, then stream them out in one go.
        var stage = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"zoo-out-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        using var staged = new FileStream(stage, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        write(staged);
        staged.Position = 0;
        using var target = OpenDirect();
        staged.CopyTo(target, 1 << 20);
        target.Flush();
    }

    private Stream OpenDirect() => StandardStream(Path) switch
    {
        1 => Console.OpenStandardOutput(),
        2 => Console.OpenStandardError(),
        // A device or a pipe is only written into; a regular file reached through a descriptor is rewritten whole.
        _ => new FileStream(Path, Kind == FileKind.Regular ? FileMode.Truncate : FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None),
    };

    /// <summary>
    /// True when <paramref name="a"/> and <paramref name="b"/> name the same existing file, however they are spelled
    /// (symbolic links, <c>..</c>, <c>/proc/self/cwd</c>): by device and inode where the system tells them, else by
    /// the fully resolved path. A path that does not exist names no existing file.
    /// </summary>
    public static bool SameFile(string a, string b)
    {
        var sa = FileStatus.Of(a);
        var sb = FileStatus.Of(b);
        if (sa.Kind == FileKind.Missing || sb.Kind == FileKind.Missing) return false;
        if (sa.Identity is { } ia && sb.Identity is { } ib) return ia == ib;
        return string.Equals(FinalTarget(System.IO.Path.GetFullPath(a)), FinalTarget(System.IO.Path.GetFullPath(b)),
            OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
    }

    // The file a chain of symbolic links ends at (the path itself when it is no link).
    private static string FinalTarget(string full)
    {
        if (FileStatus.OfLink(full).Kind != FileKind.SymbolicLink) return full;
        try
        {
            return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException e)
        {
            throw new ZooException("expected a path whose symbolic links end somewhere, found a link loop", full, null, e);
        }
    }

    // 1 for this process's standard output, 2 for its standard error, 0 otherwise.
    private static int StandardStream(string full) => full switch
    {
        "/dev/stdout" or "/dev/fd/1" or "/proc/self/fd/1" => 1,
        "/dev/stderr" or "/dev/fd/2" or "/proc/self/fd/2" => 2,
        _ => 0,
    };

    // Paths that reopen a file descriptor (/dev/fd/N, /proc/PID/fd/N): their link targets are not paths one may
    // rename over (a deleted file reads "name (deleted)").
    private static bool IsDescriptorAlias(string full)
    {
        if (full.StartsWith("/dev/fd/", StringComparison.Ordinal)) return true;
        if (!full.StartsWith("/proc/", StringComparison.Ordinal)) return false;
        var parts = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 4 && parts[2] == "fd";
    }
}
