using Zoo.Convert.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

/// <summary>The command-line contract that holds whatever the files: exit codes, help, refusals.</summary>
public class UsageTests
{
    [Theory]
    [InlineData("frobnicate")]
    [InlineData("inspect")]
    [InlineData("inspect a.h5 --no-such-option")]
    [InlineData("convert a.h5")]
    [InlineData("convert a.h5 b.h5 --to tflite")]
    [InlineData("convert a.h5 b.h5 --dialect keras1")]
    public void A_malformed_command_line_exits_with_2_and_says_why_on_stderr(string commandLine)
    {
        var r = CliRunner.Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.StartsWith("zoo-convert: error: ", r.Err);
        Assert.Equal("", r.Out);
    }

    [Theory]
    [InlineData("", "zoo-convert: error: no command given")]
    [InlineData("zoo", "zoo-convert: error: 'zoo' needs a subcommand")]
    public void A_command_group_named_alone_prints_its_command_list_and_exits_with_2(string commandLine, string firstError)
    {
        var r = CliRunner.Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.StartsWith(firstError, r.Err);
        Assert.Single(r.ErrLines);
        Assert.Contains("Commands:", r.Out);
        Assert.Contains(commandLine == "" ? "inspect" : "create", r.Out);
    }

    [Theory]
    [InlineData("inspct model.h5", "unknown command 'inspct'; did you mean 'inspect'?")]
    [InlineData("zoo creat lenet5", "unknown command 'creat' for 'zoo-convert zoo'; did you mean 'create'?")]
    [InlineData("inspect model.h5 --jsn", "unknown option '--jsn' for 'zoo-convert inspect'; did you mean '--json'?")]
    [InlineData("convert a.h5 b.h5 --dialekt keras2", "did you mean '--dialect'?")]
    [InlineData("finetune --modle lenet5 --classes 2 --output x.h5", "did you mean '--model'?")]
    public void A_misspelled_command_or_option_is_answered_with_the_closest_names(string commandLine, string expected)
    {
        var r = CliRunner.Run(commandLine.Split(' '));
        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.Contains(expected, r.ErrLines[0]);
        Assert.DoesNotContain("Required command was not provided", r.Err);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void An_unknown_zoo_name_is_a_usage_error_in_zoo_create_finetune_and_tune_alike()
    {
        foreach (var args in new[]
        {
            new[] { "zoo", "create", "resnet5O", "--output", "x.h5" },
            new[] { "finetune", "--model", "resnet5O", "--x", "x.npy", "--y", "y.npy", "--classes", "2", "--output", "x.h5" },
            new[] { "tune", "--model", "resnet5O", "--x", "x.npy", "--y", "y.npy", "--classes", "2", "--output", "x.h5" },
        })
        {
            var r = CliRunner.Run(args);
            Assert.True(r.Code == ExitCodes.Usage, $"{args[0]}: exit {r.Code}: {r.Err}");
            Assert.Contains("did you mean 'resnet50'?", r.Err);
        }
    }

    [Theory]
    [InlineData("inspect", "zoo-convert inspect model.h5")]
    [InlineData("convert", "zoo-convert convert model.h5 model.keras")]
    public void Help_for_each_command_lists_its_options_and_examples(string command, string example)
    {
        var r = CliRunner.Run(command, "--help");
        Assert.Equal(0, r.Code);
        Assert.Contains("Examples:", r.Out);
        Assert.Contains(example, r.Out);
        Assert.Contains("--weights", r.Out);
    }

    [Fact]
    public void Top_level_help_names_both_commands_and_the_exit_codes()
    {
        var r = CliRunner.Run("--help");
        Assert.Equal(0, r.Code);
        Assert.Contains("inspect", r.Out);
        Assert.Contains("convert", r.Out);
        Assert.Contains("3 bad or unsupported input file", r.Out);
    }

    [Fact]
    public void Convert_refuses_to_write_over_its_input_and_leaves_it_untouched()
    {
        var dir = Directory.CreateTempSubdirectory("zoo-cli-");
        try
        {
            var file = Path.Combine(dir.FullName, "model.json");
            File.WriteAllText(file, "{}");
            var alias = Path.Combine(dir.FullName, ".", "model.json");
            var r = CliRunner.Run("convert", file, alias);
            Assert.Equal(ExitCodes.Usage, r.Code);
            Assert.Contains("--overwrite-input", r.Err);
            Assert.Equal("{}", File.ReadAllText(file));
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void A_missing_input_file_exits_with_3_and_one_line()
    {
        var r = CliRunner.Run("inspect", Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.h5"));
        Assert.Equal(ExitCodes.BadInput, r.Code);
        Assert.Single(r.ErrLines);
        Assert.Contains("no such file", r.Err);
    }
}
