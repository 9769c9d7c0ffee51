using Zoo.Convert.Output;
using Zoo.Convert.Tests.Support;
using Zoo.Formats;
using Zoo.Formats.IO;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Output;

/// <summary>Colour and live rendering belong to terminals only: writers that are not the console get plain text.</summary>
public class PlainOutputTests
{
    [Fact]
    public void A_writer_that_is_not_the_console_is_never_treated_as_a_terminal()
    {
        Assert.False(Terminal.IsTerminal(new StringWriter()));
        Assert.Null(Terminal.ConsoleFor(new StringWriter()));
        Assert.False(LiveProgress.For(new StringWriter()).IsLive);
    }

    [Fact]
    public void Without_a_terminal_the_writer_gets_no_progress_reporter_and_the_work_still_runs()
    {
        bool ran = false;
        LiveProgress.For(new StringWriter()).Write("writing", progress => { Assert.Null(progress); ran = true; });
        Assert.True(ran);
        Assert.Equal(42, LiveProgress.For(new StringWriter()).Step("reading", () => 42));
    }

    [Fact]
    public void Commands_run_in_process_print_no_ansi_escape_codes()
    {
        using var dir = new TempDir();
        var runs = new[]
        {
            CliRunner.Run("zoo", "create", "lenet5", "--output", dir.File("l.h5")),
            CliRunner.Run("inspect", dir.File("l.h5")),
            CliRunner.Run("convert", dir.File("l.h5"), dir.File("l.keras")),
            CliRunner.Run("zoo", "list"),
            CliRunner.Run("inspect", dir.File("missing.h5")),
        };
        foreach (var r in runs) Assert.DoesNotContain('\u001b', r.Out + r.Err);
        Assert.Contains("Layer (type)", runs[1].Out);
    }
}
