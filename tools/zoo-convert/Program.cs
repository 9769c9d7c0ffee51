namespace Zoo.Convert;

/// <summary>zoo-convert entry point.</summary>
public static class Program
{
    /// <summary>Runs the CLI and returns its exit code.</summary>
    public static int Main(string[] args) => 0;
}
