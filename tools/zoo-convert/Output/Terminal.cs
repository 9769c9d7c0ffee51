using Spectre.Console;

namespace Zoo.Convert.Output;

/// <summary>
/// Decides where colour and live rendering may go: only to the process's own console streams, and only
/// while they are terminals. Any other writer (a test's StringWriter, a redirected stream, a pipe) gets
/// plain text with no ANSI codes, so output that is parsed or diffed never changes with the terminal.
/// </summary>
internal static class Terminal
{
    /// <summary>True when <paramref name="writer"/> is this process's stdout or stderr and that stream is a terminal.</summary>
    public static bool IsTerminal(TextWriter writer)
    {
        writer = SafeWriter.Unwrap(writer);
        if (string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal)) return false;
        if (ReferenceEquals(writer, Console.Out)) return !Console.IsOutputRedirected;
        if (ReferenceEquals(writer, Console.Error)) return !Console.IsErrorRedirected;
        return false;
    }

    /// <summary>
    /// A Spectre console rendering to <paramref name="writer"/> when it is a terminal; null otherwise. It writes past the
    /// <see cref="SafeWriter"/> (its own escape codes must pass), so what it renders from a file goes through <see cref="Printable.Markup"/>.
    /// </summary>
    /// <remarks>Spectre's detection still honours NO_COLOR, so a terminal user can turn colour off.</remarks>
    public static IAnsiConsole? ConsoleFor(TextWriter writer)
        => IsTerminal(writer)
            ? AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.Detect,
                ColorSystem = ColorSystemSupport.Detect,
                Interactive = InteractionSupport.Yes,
                Out = new AnsiConsoleOutput(SafeWriter.Unwrap(writer)),
            })
            : null;
}
