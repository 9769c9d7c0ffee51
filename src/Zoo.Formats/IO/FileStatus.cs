using System.Runtime.InteropServices;

namespace Zoo.Formats.IO;

/// <summary>What kind of file system object a path names.</summary>
public enum FileKind
{
    /// <summary>Nothing exists at the path.</summary>
    Missing,
    /// <summary>A regular file.</summary>
    Regular,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>A character device (<c>/dev/null</c>, a terminal).</summary>
    CharacterDevice,
    /// <summary>A block device (a disk).</summary>
    BlockDevice,
    /// <summary>A named pipe (FIFO), or an anonymous pipe reached through <c>/dev/stdout</c>.</summary>
    Fifo,
    /// <summary>A Unix domain socket.</summary>
    Socket,
    /// <summary>A symbolic link (only when links are not followed).</summary>
    SymbolicLink,
}

/// <summary>Which file a path names, independent of the path: device and inode on Unix.</summary>
/// <param name="Device">The file system's device number.</param>
/// <param name="Inode">The file's inode number on that device.</param>
public readonly record struct FileIdentity(ulong Device, ulong Inode);

/// <summary>
/// The kind and identity of the object at a path, read with Linux's <c>statx</c> (whose record layout is the
/// same on every architecture). .NET's own file APIs cannot tell a character device or a FIFO from a regular
/// file, which is what an atomic rename must never replace. Elsewhere a portable approximation is used:
/// directories and files only, with no identity.
/// </summary>
public readonly record struct FileStatus(FileKind Kind, FileIdentity? Identity)
{
    /// <summary>The status of <paramref name="path"/>, following symbolic links (a dangling link is <see cref="FileKind.Missing"/>).</summary>
    public static FileStatus Of(string path) => Read(path, followLinks: true);

    /// <summary>The status of <paramref name="path"/> itself: a symbolic link is reported as one.</summary>
    public static FileStatus OfLink(string path) => Read(path, followLinks: false);

    /// <summary>A name for the kind, as a user reads it in an error message.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "nothing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Fifo => "a named pipe (FIFO)",
        FileKind.Socket => "a socket",
        FileKind.SymbolicLink => "a symbolic link",
        _ => kind.ToString(),
    };

    private static bool statxMissing;

    private static FileStatus Read(string path, bool followLinks)
    {
        if (OperatingSystem.IsLinux() && !statxMissing)
        {
            try
            {
                return Statx(path, followLinks);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                statxMissing = true; // an old C library: fall back for the rest of the process
            }
        }
        return Portable(path, followLinks);
    }

    private static FileStatus Portable(string path, bool followLinks)
    {
        FileSystemInfo info = new FileInfo(path);
        if (!info.Exists) info = new DirectoryInfo(path);
        if (!info.Exists && info.LinkTarget is null) return new(FileKind.Missing, null);
        if (info.LinkTarget is not null)
        {
            if (!followLinks) return new(FileKind.SymbolicLink, null);
            try
            {
                var final = info.ResolveLinkTarget(returnFinalTarget: true);
                if (final is null || !final.Exists) return new(FileKind.Missing, null);
                info = final;
            }
            catch (IOException) { return new(FileKind.Missing, null); }
        }
        return new(info is DirectoryInfo ? FileKind.Directory : FileKind.Regular, null);
    }

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxTypeModeIno = 0x1 | 0x2 | 0x100;
    private const int ENOENT = 2, ENOTDIR = 20, ELOOP = 40;

    private static FileStatus Statx(string path, bool followLinks)
    {
        var buffer = new StatxBuffer();
        int rc = statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxTypeModeIno, ref buffer);
        if (rc != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            // A missing file, a missing folder on the way, or a dangling link: nothing is there to replace.
            if (errno is ENOENT or ENOTDIR) return new(FileKind.Missing, null);
            if (errno == ELOOP)
                throw new ZooException("expected a path whose symbolic links end somewhere, found a link loop", path);
            throw new ZooException($"expected to inspect the path, found error {errno} from statx", path);
        }
        var kind = (buffer.Mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            0xA000 => FileKind.SymbolicLink,
            _ => FileKind.Regular,
        };
        ulong device = ((ulong)buffer.DevMajor << 32) | buffer.DevMinor;
        return new(kind, new FileIdentity(device, buffer.Inode));
    }

    // struct statx from linux/stat.h: 256 bytes, the same layout on every architecture.
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;
    }

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, ref StatxBuffer buffer);
}
