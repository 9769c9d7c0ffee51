using Zoo.Convert.Runtime;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.FirstRun;

/// <summary>
/// On a machine whose libstdc++ lacks GLIBCXX_3.4.32 the commands that need TorchSharp stop before touching it, with
/// one line that says what to run; format commands keep working. Each case runs zoo-convert as a child process with
/// ZOO_LIBSTDCXX pointing at a stand-in library, so TorchSharp in this test process is never involved.
/// </summary>
public sealed class TorchPrerequisiteTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private static (int Code, string Out, string Err) Child(string library, params string[] args)
        => ChildProcess.Run(new Dictionary<string, string> { [TorchPrerequisite.LibraryVariable] = library }, args);

    /// <summary>A file that looks like an old libstdc++: version names up to GLIBCXX_3.4.30, as GCC 12 exports.</summary>
    private string OldLibStdCxx()
    {
        var path = dir.File("libstdc++.so.6");
        File.WriteAllText(path, "\u007fELF...GLIBCXX_3.4.29\0GLIBCXX_3.4.30\0CXXABI_1.3.13\0");
        return path;
    }

    public static IEnumerable<object[]> TorchCommands() =>
    [
        [new[] { "demo", "--quick", "--out", "{dir}/demo" }],
        [new[] { "predict", "{model}", "--input", "{model}", "--output", "{dir}/y.npy" }],
        [new[] { "verify", "{model}", "--input", "{model}", "--expected", "{model}" }],
        [new[] { "finetune", "-m", "lenet5", "--x", "x.npy", "--y", "y.npy", "--classes", "2", "--output", "{dir}/t.h5" }],
        [new[] { "tune", "-m", "lenet5", "--x", "x.npy", "--y", "y.npy", "--classes", "2", "--output", "{dir}/t.h5" }],
    ];

    [Theory]
    [MemberData(nameof(TorchCommands))]
    public void A_command_that_needs_TorchSharp_exits_3_with_one_line_naming_the_fix(string[] args)
    {
        var model = dir.File("lenet.h5");
        Assert.Equal(0, Cli.Run(["zoo", "create", "lenet5", "--output", model], TextWriter.Null, TextWriter.Null));
        var r = Child(OldLibStdCxx(), args.Select(a => a.Replace("{dir}", dir.Path).Replace("{model}", model)).ToArray());
        Assert.True(r.Code == ExitCodes.BadInput, $"exit {r.Code}\n{r.Out}\n{r.Err}");
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("zoo-convert: error: TorchSharp needs a libstdc++ with GLIBCXX_3.4.32", lines[0]);
        Assert.Contains("sudo scripts/prereq.sh", lines[0]);
        Assert.DoesNotContain("internal error", r.Err);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void Format_commands_work_without_it()
    {
        var library = OldLibStdCxx();
        var model = dir.File("lenet.h5");
        Assert.Equal(0, Child(library, "zoo", "create", "lenet5", "--output", model).Code);
        var inspect = Child(library, "inspect", model);
        Assert.True(inspect.Code == 0, inspect.Err);
        Assert.Contains("Total params: 61,706", inspect.Out);
        Assert.Equal(0, Child(library, "convert", model, dir.File("lenet.keras")).Code);
        Assert.Equal(0, Child(library, "demo", "--formats-only", "--out", dir.File("tour")).Code);
    }

    [SkippableFact]
    public void The_check_finds_the_version_name_in_the_library_this_process_runs_with()
    {
        // This machine ran scripts/prereq.sh (TorchSharp's own tests need it), so the loaded libstdc++ passes.
        Skip.IfNot(OperatingSystem.IsLinux(), "the check reads /proc/self/maps");
        Assert.Null(TorchPrerequisite.Problem());
        Assert.False(TorchPrerequisite.Exports(OldLibStdCxx(), TorchPrerequisite.Symbol));
    }
}
