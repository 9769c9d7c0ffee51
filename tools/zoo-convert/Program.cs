namespace Zoo.Convert;

/// <summary>zoo-convert entry point.</summary>
public static class Program
{
    /// <summary>Runs the CLI and returns its exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Main(string[] args) => Cli.Run(args, Console.Out, Console.Error);
}
