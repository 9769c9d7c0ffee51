using System.Diagnostics;
using System.Net.Sockets;
using Zoo.Formats.IO;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.Safety;

/// <summary>
/// Writers never replace what is not a regular file: a device or a FIFO is written into (and stays what it
/// was), a symbolic link keeps pointing where it did, and a directory, a socket or a block device is refused
/// before a byte is written. Each save API goes through the same target rule.
/// </summary>
public sealed class SpecialFileOutputTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [SkippableFact]
    public void Saving_a_model_to_dev_null_leaves_dev_null_a_character_device()
    {
        var before = RequireDevice("/dev/null");

        KerasFile.Save(RandomWeightedGraphs.Build(3), "/dev/null", new SaveOptions { Format = KerasFormat.H5Full });
        KerasFile.Save(RandomWeightedGraphs.Build(3), "/dev/null", new SaveOptions { Format = KerasFormat.KerasArchive });
        Npy.Write("/dev/null", NpyArray.FromFloat32([2], [1f, 2f]));

        var after = FileStatus.OfLink("/dev/null");
        Assert.Equal(FileKind.CharacterDevice, after.Kind);
        Assert.Equal(before.Identity, after.Identity);
    }

    [SkippableFact]
    public void A_symbolic_link_to_dev_null_is_written_through_and_stays_a_link()
    {
        RequireDevice("/dev/null");
        var link = dir.File("discard.json");
        File.CreateSymbolicLink(link, "/dev/null");

        AtomicFile.WriteText(link, "{\"a\": 1}");

        Assert.Equal("/dev/null", new FileInfo(link).LinkTarget);
        Assert.Equal(FileKind.CharacterDevice, FileStatus.OfLink("/dev/null").Kind);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [SkippableFact]
    public void Writing_a_FIFO_streams_exactly_the_bytes_a_regular_file_gets_to_its_reader()
    {
        var fifo = MakeFifo("model.keras");
        var graph = RandomWeightedGraphs.Build(5);
        var regular = dir.File("regular.keras");
        KerasFile.Save(graph, regular);

        var received = ReadWhileWriting(fifo, () => KerasFile.Save(graph, fifo, new SaveOptions { Format = KerasFormat.KerasArchive }));

        Assert.Equal(File.ReadAllBytes(regular), received);
        Assert.Equal(FileKind.Fifo, FileStatus.OfLink(fifo).Kind);
    }

    [SkippableFact]
    public void A_symbolic_link_to_a_FIFO_is_written_through_and_both_stay_what_they_were()
    {
        var fifo = MakeFifo("pipe");
        var link = dir.File("link.json");
        File.CreateSymbolicLink(link, fifo);

        var received = ReadWhileWriting(fifo, () => AtomicFile.WriteText(link, "[1, 2, 3]"));

        Assert.Equal("[1, 2, 3]"u8.ToArray(), received);
        Assert.Equal(FileKind.SymbolicLink, FileStatus.OfLink(link).Kind);
        Assert.Equal(FileKind.Fifo, FileStatus.OfLink(fifo).Kind);
    }

    [SkippableFact]
    public void A_full_device_gives_a_typed_error_and_stays_a_device()
    {
        var before = RequireDevice("/dev/full");

        var e = Assert.ThrowsAny<ZooException>(() => AtomicFile.WriteText("/dev/full", new string('x', 10_000)));

        Assert.IsNotType<OutputPathException>(e);
        Assert.Contains("/dev/full", e.Message);
        Assert.Equal(before.Identity, FileStatus.OfLink("/dev/full").Identity);
    }

    [Fact]
    public void A_directory_is_refused_naming_the_path_and_its_kind()
    {
        var target = dir.File("folder.h5");
        Directory.CreateDirectory(target);

        var e = Assert.Throws<OutputPathException>(() => KerasFile.Save(RandomWeightedGraphs.Build(1), target));

        Assert.Contains(target, e.Message);
        Assert.Contains("a directory", e.Message);
        Assert.True(Directory.Exists(target));
    }

    [SkippableFact]
    public void A_socket_is_refused_and_left_in_place()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "file kinds are read with Linux's statx");
        var path = dir.File("s.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));

        var e = Assert.Throws<OutputPathException>(() => AtomicFile.WriteText(path, "x"));

        Assert.Contains("a socket", e.Message);
        Assert.Equal(FileKind.Socket, FileStatus.OfLink(path).Kind);
    }

    [SkippableFact]
    public void A_block_device_is_refused_before_it_is_opened()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "file kinds are read with Linux's statx");
        // Only Resolve is called: it decides before anything is opened, so no device is ever written here.
        var block = Directory.EnumerateFiles("/dev").FirstOrDefault(p => FileStatus.OfLink(p).Kind == FileKind.BlockDevice);
        Skip.If(block is null, "this machine shows no block device under /dev");

        var e = Assert.Throws<OutputPathException>(() => OutputTarget.Resolve(block!));

        Assert.Contains("a block device", e.Message);
    }

    [Fact]
    public void A_symbolic_link_to_a_regular_file_is_kept_and_its_target_replaced()
    {
        var real = dir.File("real.json");
        File.WriteAllText(real, "old");
        var link = dir.File("link.json");
        File.CreateSymbolicLink(link, real);

        AtomicFile.WriteText(link, "new");

        Assert.Equal(real, new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(real));
    }

    [Fact]
    public void A_dangling_symbolic_link_creates_the_file_it_names()
    {
        var real = dir.File("later.json");
        var link = dir.File("link.json");
        File.CreateSymbolicLink(link, real);

        AtomicFile.WriteText(link, "made");

        Assert.Equal("made", File.ReadAllText(real));
        Assert.Equal(real, new FileInfo(link).LinkTarget);
    }

    [SkippableFact]
    public void Same_file_is_told_by_identity_through_links_hard_links_and_proc()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "identity is read with Linux's statx");
        var file = dir.File("m.h5");
        File.WriteAllText(file, "x");
        var sub = dir.File("sub");
        Directory.CreateDirectory(sub);
        var dirLink = dir.File("dirlink");
        Directory.CreateSymbolicLink(dirLink, dir.Path);
        var hard = dir.File("hard.h5");
        Run("ln", file, hard);
        var other = dir.File("other.h5");
        File.WriteAllText(other, "x");

        Assert.True(OutputTarget.SameFile(Path.Combine(dirLink, "m.h5"), file));
        Assert.True(OutputTarget.SameFile(Path.Combine(sub, "..", "m.h5"), file));
        Assert.True(OutputTarget.SameFile(hard, file));
        Assert.True(OutputTarget.SameFile($"/proc/{Environment.ProcessId}/root{file}", file));
        Assert.False(OutputTarget.SameFile(other, file));
        Assert.False(OutputTarget.SameFile(dir.File("missing.h5"), file));
    }

    private static FileStatus RequireDevice(string path)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "device files are told apart with Linux's statx");
        var s = FileStatus.OfLink(path);
        Skip.If(s.Kind != FileKind.CharacterDevice, $"{path} is not a character device on this machine");
        return s;
    }

    private string MakeFifo(string name)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "FIFOs are told apart with Linux's statx");
        var path = dir.File(name);
        Skip.IfNot(Run("mkfifo", path) == 0, "mkfifo is not permitted here");
        return path;
    }

    // A reader on another thread, as `cat fifo > out` would be: opening a FIFO blocks until both ends are open.
    private static byte[] ReadWhileWriting(string fifo, Action write)
    {
        var reader = Task.Run(() =>
        {
            using var s = new FileStream(fifo, FileMode.Open, FileAccess.Read);
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            return ms.ToArray();
        });
        write();
        Assert.True(reader.Wait(TimeSpan.FromSeconds(60)), "the FIFO's reader never saw the end of the data");
        return reader.Result;
    }

    private static int Run(string program, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(program, args) { UseShellExecute = false, RedirectStandardError = true })!;
        p.WaitForExit();
        return p.ExitCode;
    }
}
