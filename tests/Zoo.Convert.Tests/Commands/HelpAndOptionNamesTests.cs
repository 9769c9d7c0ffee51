using System.CommandLine;
using Zoo.Convert.Tests.Support;

namespace Zoo.Convert.Tests.Commands;

/// <summary>One CLI: every command explains itself with examples, and the shared options mean the same everywhere.</summary>
public class HelpAndOptionNamesTests
{
    /// <summary>Every command path below the root, hidden ones included ("zoo create", "inspect", …).</summary>
    public static IEnumerable<object[]> CommandPaths()
    {
        static IEnumerable<string> Walk(Command c, string prefix)
        {
            foreach (var sub in c.Subcommands)
            {
                var path = (prefix + " " + sub.Name).Trim();
                yield return path;
                foreach (var deeper in Walk(sub, path)) yield return deeper;
            }
        }
        return Walk(Cli.BuildRoot(), "").Select(p => new object[] { p });
    }

    private static IEnumerable<Command> AllCommands(Command c) => c.Subcommands.SelectMany(s => AllCommands(s).Prepend(s));

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public void Every_command_has_help_with_a_description_and_examples_that_start_with_its_own_name(string path)
    {
        var r = CliRunner.Run(path.Split(' ').Append("--help").ToArray());
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Err);
        Assert.Contains("Description:", r.Out);
        var examples = r.Out[(r.Out.IndexOf("Examples:", StringComparison.Ordinal) + 1)..].Split('\n').Select(l => l.Trim())
            .Where(l => l.StartsWith("zoo-convert ", StringComparison.Ordinal)).ToList();
        // "zoo list" and "zoo create" share the zoo examples; each command must show at least one of its own.
        Assert.Contains(examples, e => e.StartsWith($"zoo-convert {path}", StringComparison.Ordinal) || (path.StartsWith("zoo", StringComparison.Ordinal) && e.StartsWith("zoo-convert zoo", StringComparison.Ordinal)));
        Assert.Contains("Exit codes: 0 success", r.Out);
    }

    // demo belongs to another branch of work, which renames its --out (see the report); listed so this test guards the rest meanwhile.
    private static readonly HashSet<string> PendingRename = ["demo"];

    [Fact]
    public void No_command_spells_its_output_file_option_other_than_output()
    {
        foreach (var c in AllCommands(Cli.BuildRoot()).Where(c => !PendingRename.Contains(c.Name)))
            foreach (var o in c.Options)
                Assert.False(o.Name is "--out" or "--output-file" or "--dest", $"'{c.Name}' names an output option '{o.Name}'; use --output (old spellings as aliases)");
    }

    [Theory]
    [InlineData("--weights", "-w")]
    [InlineData("--input", "-i")]
    [InlineData("--output", "-o")]
    public void A_shared_option_has_the_same_short_alias_wherever_it_appears(string name, string alias)
    {
        var carriers = AllCommands(Cli.BuildRoot()).SelectMany(c => c.Options.Where(o => o.Name == name).Select(o => (c.Name, o))).ToList();
        Assert.NotEmpty(carriers);
        foreach (var (command, option) in carriers)
            Assert.True(option.Aliases.Contains(alias), $"'{command} {name}' lacks the alias {alias}");
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("verify")]
    [InlineData("zoo list")]
    public void Commands_with_machine_readable_output_offer_json(string path)
    {
        var r = CliRunner.Run(path.Split(' ').Append("--help").ToArray());
        Assert.Contains("--json", r.Out);
        Assert.Contains("schema \"zoo-convert/", r.Out);
    }

    [Fact]
    public void Verbose_is_accepted_after_every_command()
    {
        foreach (var c in Cli.BuildRoot().Subcommands)
        {
            var r = CliRunner.Run(c.Name, "--verbose", "--help");
            Assert.True(r.Code == 0, $"{c.Name}: {r.Err}");
        }
    }

    [Fact]
    public void The_old_out_spelling_of_zoo_create_still_works_as_an_alias()
    {
        using var dir = new Zoo.Formats.Tests.Support.TempDir();
        var viaOut = CliRunner.Run("zoo", "create", "lenet5", "--out", dir.File("a.h5"));
        var viaOutput = CliRunner.Run("zoo", "create", "lenet5", "--output", dir.File("b.h5"));
        Assert.True(viaOut.Code == 0 && viaOutput.Code == 0, viaOut.Err + viaOutput.Err);
        Assert.Equal(File.ReadAllBytes(dir.File("a.h5")), File.ReadAllBytes(dir.File("b.h5")));
    }
}
