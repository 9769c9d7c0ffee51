using System.Diagnostics;
using System.Net.Sockets;
using Zoo.Convert.Tests.Commands;
using Zoo.Convert.Tests.Support;
using Zoo.Formats;
using Zoo.Formats.IO;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Safety;

/// <summary>
/// <c>--output /dev/null</c> works for every command that writes a file and leaves <c>/dev/null</c> a character
/// device; a FIFO receives the bytes; <c>-</c> is standard output; a directory or a socket where a file is wanted
/// is refused with exit 2 naming the path and its kind; an output that is one of the command's inputs, however
/// spelled, is refused with exit 2 and the input is untouched.
/// </summary>
public sealed class SpecialFileOutputCommandTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private static string Model => Fixtures.Path("dl4j-test-resources/cnn_batch_norm.h5");

    [SkippableFact]
    public void Every_command_that_writes_a_file_accepts_dev_null_and_leaves_it_a_device()
    {
        var before = RequireDevNull();
        var x = Fixtures.Path("dl4j-test-resources/cnn_batch_norm_input.npy");
        var (tx, ty) = FinetuneFiles.Arrays(dir.Path, n: 8, classes: 2, seed: 4);

        string[][] commands =
        [
            ["convert", Model, "/dev/null"],
            ["convert", Model, "/dev/null", "--to", "keras"],
            ["predict", Model, "--input", x, "--output", "/dev/null"],
            ["zoo", "create", "lenet5", "--output", "/dev/null"],
            ["finetune", "--model", "lenet5", "--x", tx, "--y", ty, "--classes", "2", "--policy", "large", "--epochs", "1", "--output", "/dev/null"],
            ["tune", "--model", "lenet5", "--x", tx, "--y", ty, "--classes", "2", "--trials", "1", "--max-epochs", "1", "--no-baseline",
                "--space", "lr=1e-3..1e-2:log,batch-size=4,policy=large", "--output", "/dev/null", "--report", dir.File("tune")],
        ];
        foreach (var args in commands)
        {
            var r = CliRunner.Run(args);
            Assert.True(r.Code == 0, $"{string.Join(' ', args)}: exit {r.Code}: {r.Err}");
            var now = FileStatus.OfLink("/dev/null");
            Assert.Equal(FileKind.CharacterDevice, now.Kind);
            Assert.Equal(before.Identity, now.Identity);
        }
    }

    [SkippableFact]
    public void Commands_that_write_a_folder_refuse_dev_null_with_exit_2()
    {
        RequireDevNull();
        foreach (var args in new[] { new[] { "export-triton", Model, "/dev/null" }, ["demo", "--output", "/dev/null", "--formats-only"] })
        {
            var r = CliRunner.Run(args);
            Assert.Equal(2, r.Code);
            Assert.Contains("/dev/null", r.Err);
            Assert.Contains("a character device", r.Err);
        }
        Assert.Equal(FileKind.CharacterDevice, FileStatus.OfLink("/dev/null").Kind);
    }

    [SkippableFact]
    public void Convert_into_a_FIFO_streams_the_same_bytes_as_into_a_file()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "FIFOs are told apart with Linux's statx");
        var fifo = dir.File("out.pipe");
        Skip.IfNot(Run("mkfifo", fifo).Code == 0, "mkfifo is not permitted here");
        Assert.Equal(0, CliRunner.Run("convert", Model, dir.File("regular.keras")).Code);

        var reader = Task.Run(() => File.ReadAllBytes(fifo));
        var r = CliRunner.Run("convert", Model, fifo, "--to", "keras");

        Assert.True(r.Code == 0, r.Err);
        Assert.True(reader.Wait(TimeSpan.FromSeconds(60)), "the FIFO's reader never saw the end");
        Assert.Equal(File.ReadAllBytes(dir.File("regular.keras")), reader.Result);
        Assert.Equal(FileKind.Fifo, FileStatus.OfLink(fifo).Kind);
    }

    [SkippableFact]
    public void A_dash_writes_to_standard_output_and_the_report_line_goes_to_standard_error()
    {
        var exe = Path.Combine(AppContext.BaseDirectory, "zoo-convert");
        Skip.IfNot(File.Exists(exe), "the zoo-convert app host is not beside the tests");
        Assert.Equal(0, CliRunner.Run("convert", Model, dir.File("m.json")).Code);

        var r = Run(exe, "convert", Model, "-", "--to", "json");

        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(File.ReadAllText(dir.File("m.json")), r.Out);
        Assert.Contains("wrote -", r.Err);
    }

    [Fact]
    public void A_directory_where_a_file_is_wanted_is_refused_with_exit_2_naming_it()
    {
        var target = dir.File("out.h5");
        Directory.CreateDirectory(target);

        var r = CliRunner.Run("convert", Model, target);

        Assert.Equal(2, r.Code);
        Assert.Contains(target, r.Err);
        Assert.Contains("a directory", r.Err);
    }

    [SkippableFact]
    public void A_socket_where_a_file_is_wanted_is_refused_with_exit_2_naming_it()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "file kinds are read with Linux's statx");
        var path = dir.File("out.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));

        var r = CliRunner.Run("zoo", "create", "lenet5", "--output", path);

        Assert.Equal(2, r.Code);
        Assert.Contains("a socket", r.Err);
        Assert.Single(r.ErrLines);
    }

    [SkippableFact]
    public void Convert_refuses_to_write_over_its_input_reached_through_a_symlinked_folder_or_proc()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "/proc and file identity are Linux's");
        var input = dir.File("m.h5");
        File.Copy(Model, input);
        var link = dir.File("linked");
        Directory.CreateSymbolicLink(link, dir.Path);
        var before = File.ReadAllBytes(input);

        foreach (var alias in new[] { Path.Combine(link, "m.h5"), $"/proc/{Environment.ProcessId}/root{input}" })
        {
            var r = CliRunner.Run("convert", input, alias, "--to", "json");
            Assert.Equal(2, r.Code);
            Assert.Contains("refusing to overwrite", r.Err);
        }
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [SkippableFact]
    public void Predict_refuses_an_output_that_is_its_model_or_one_of_its_inputs()
    {
        var x = dir.File("x.npy");
        File.Copy(Fixtures.Path("dl4j-test-resources/cnn_batch_norm_input.npy"), x);
        var model = dir.File("m.h5");
        File.Copy(Model, model);
        var xBefore = File.ReadAllBytes(x);

        var overModel = CliRunner.Run("predict", model, "--input", x, "--output", model);
        var overInput = CliRunner.Run("predict", model, "--input", x, "--output", Path.Combine(Path.GetDirectoryName(x)!, ".", Path.GetFileName(x)));

        Assert.Equal(2, overModel.Code);
        Assert.Equal(2, overInput.Code);
        Assert.Contains("is the input file", overInput.Err);
        Assert.Equal(File.ReadAllBytes(Model), File.ReadAllBytes(model));
        Assert.Equal(xBefore, File.ReadAllBytes(x));
    }

    private static FileStatus RequireDevNull()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "device files are told apart with Linux's statx");
        var s = FileStatus.OfLink("/dev/null");
        Skip.If(s.Kind != FileKind.CharacterDevice, "/dev/null is not a character device here");
        return s;
    }

    private static (int Code, string Out, string Err) Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program, args) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
