using Zoo.Convert.Tests.FirstRun;

namespace Zoo.Convert.Tests.Docs;

/// <summary>
/// The README's five-minute tour (its blocks marked <c>&lt;!-- test: tour --&gt;</c>) runs as written, command by
/// command, each as its own zoo-convert process in the folder where the demo just ran.
/// </summary>
[Collection(NewcomerCollection.Name)]
public class ReadmeTourTests(NewcomerClone clone)
{
    private static IReadOnlyList<(int Line, string[] Words)> Tour()
        => MarkdownPages.Blocks("README.md").Where(b => b.Marker == "tour").SelectMany(MarkdownPages.ShellCommands).ToList();

    [Fact]
    public void The_tour_goes_from_inspect_to_convert_predict_verify_finetune_and_export()
    {
        var commands = Tour().Select(c => c.Words[1]).Distinct().ToList();

        Assert.Equal(["inspect", "convert", "predict", "verify", "finetune", "export-triton"], commands);
    }

    [Fact]
    public void Every_tour_command_exits_zero_on_the_files_the_demo_wrote()
    {
        clone.RequireDemo();
        foreach (var (line, words) in Tour())
        {
            Assert.True(words[0] == "zoo-convert", $"README.md:{line}: a tour command starts with zoo-convert, found '{words[0]}'");
            var (code, stdout, stderr) = ChildProcess.RunIn(clone.Root, words[1..]);
            Assert.True(code == 0, $"README.md:{line}: '{string.Join(' ', words)}' exited {code}:\n{stderr}{stdout}");
        }
        Assert.True(File.Exists(Path.Combine(clone.Root, "zoo-demo", "tour", "models", "digits", "config.pbtxt")));
    }
}
