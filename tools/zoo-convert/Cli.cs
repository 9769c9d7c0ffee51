using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Zoo.Convert.Commands;
using Zoo.Convert.Output;
using Zoo.Convert.Runtime;
using Zoo.Formats;

namespace Zoo.Convert;

/// <summary>
/// Builds the command tree and runs it against given writers, so tests run the real CLI in-process.
/// Owns the exit-code contract: parse errors are 2, Zoo errors 3, anything else 1, and never an
/// unhandled exception.
/// </summary>
public static class Cli
{
    /// <summary>Runs zoo-convert with <paramref name="args"/>, writing to <paramref name="stdout"/> and <paramref name="stderr"/>.</summary>
    /// <remarks>Both writers are wrapped in a <see cref="SafeWriter"/>: nothing a file holds reaches them with its control characters raw.</remarks>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stdout = new SafeWriter(stdout);
        stderr = new SafeWriter(stderr);
        var root = BuildRoot();
        var parsed = root.Parse(args);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        if (parsed.Action is ParseErrorAction)
        {
            var command = parsed.CommandResult.Command;
            // A command group named alone (zoo-convert, zoo-convert zoo) is a question about what it offers: its help answers it.
            if (parsed.UnmatchedTokens.Count == 0 && command.Subcommands.Count > 0 && command.Action is null && parsed.Errors.Count == 1)
            {
                stderr.WriteLine($"zoo-convert: error: {(command is RootCommand ? "no command given" : $"'{command.Name}' needs a subcommand")}; the commands are listed below");
                root.Parse(parsed.Tokens.Select(t => t.Value).Append("--help").ToArray()).Invoke(config);
                return ExitCodes.Usage;
            }
            var unmatched = DidYouMean.Lines(parsed);
            foreach (var line in unmatched) stderr.WriteLine($"zoo-convert: error: {line}");
            // The parser's own lines for what was just explained (and the "no command" that follows an unknown one) would repeat it.
            foreach (var e in parsed.Errors.Where(e => unmatched.Count == 0
                         || !(e.Message.StartsWith("Unrecognized command or argument", StringComparison.Ordinal) || e.Message.StartsWith("Required command was not provided", StringComparison.Ordinal))))
                stderr.WriteLine($"zoo-convert: error: {OneLine(e.Message.Replace('\t', ' '))}");
            stderr.WriteLine($"Try '{DidYouMean.CommandPath(parsed)} --help' for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            return parsed.Invoke(config);
        }
        catch (Exception e)
        {
            // Actions handle their own errors; this is the last line against a crash in the parser library itself.
            stderr.WriteLine($"zoo-convert: internal error: {OneLine(e.Message)}");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>The root command with its subcommands and the help that shows examples.</summary>
    internal static RootCommand BuildRoot()
    {
        var root = new RootCommand("zoo-convert: inspect, convert, run and verify Keras models (H5, JSON, YAML, .keras, .weights.h5) without Python.");
        root.Options.Add(CommonOptions.Verbose);
        root.Options.Add(CommonOptions.MaxMemory);
        root.Subcommands.Add(InspectCommand.Build());
        root.Subcommands.Add(ConvertCommand.Build());
        root.Subcommands.Add(PredictCommand.Build());
        root.Subcommands.Add(VerifyCommand.Build());
        root.Subcommands.Add(ExportTritonCommand.Build());
        root.Subcommands.Add(DemoCommand.Build());
        root.Subcommands.Add(ZooCommand.Build());
        root.Subcommands.Add(FinetuneCommand.Build());
        root.Subcommands.Add(TuneCommand.Build());
        root.Subcommands.Add(CompatCommand.Build());
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithExamples((HelpAction)help.Action!);
        return root;
    }

    /// <summary>Runs a command body and turns every failure into one line on stderr and an exit code.</summary>
    internal static int Guard(ParseResult result, Func<TextWriter, int> body)
    {
        var stdout = result.InvocationConfiguration.Output;
        var stderr = result.InvocationConfiguration.Error;
        bool verbose = result.GetValue(CommonOptions.Verbose);
        try
        {
            long mib = result.GetValue(CommonOptions.MaxMemory);
            if (mib < 0 || mib > long.MaxValue >> 20) throw new UsageException($"--max-memory must be a number of MiB from 0 up, got {mib}");
            // One budget for the whole command: every file it reads draws on the same allowance.
            using var budget = new ReadBudget(mib << 20).Enter();
            return body(stdout);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"zoo-convert: error: {OneLine(e.Message)}");
            return ExitCodes.Usage;
        }
        catch (OutputPathException e)
        {
            // Where to write is the user's choice, not a defect of an input file.
            stderr.WriteLine($"zoo-convert: error: {OneLine(e.Message)}");
            return ExitCodes.Usage;
        }
        catch (MissingPrerequisiteException e)
        {
            stderr.WriteLine($"zoo-convert: error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (TypeInitializationException e) when (e.TypeName?.StartsWith("TorchSharp", StringComparison.Ordinal) == true)
        {
            // The up-front check passed but libtorch still failed to load (another missing library): one line, not its probing trace.
            stderr.WriteLine($"zoo-convert: error: TorchSharp's native library failed to load ({FirstLine(e.InnerException?.Message ?? e.Message)}). Fix: {TorchPrerequisite.Fix}");
            if (verbose) stderr.WriteLine(e);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is ZooException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"zoo-convert: error: {OneLine(e.Message)}");
            if (verbose) stderr.WriteLine(e);
            return ExitCodes.BadInput;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"zoo-convert: internal error: {OneLine(e.Message)} ({e.GetType().Name})");
            if (verbose) stderr.WriteLine(e);
            return ExitCodes.InternalError;
        }
    }

    private static string FirstLine(string message) => message.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "";

    private static string OneLine(string message) => string.Join(" ", message.ReplaceLineEndings(" ").Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
