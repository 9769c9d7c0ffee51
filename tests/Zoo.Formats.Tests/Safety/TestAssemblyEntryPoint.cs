namespace Zoo.Formats.Tests.Safety;

/// <summary>
/// The test assembly's entry point (the test SDK's generated one is turned off): test runners never call
/// it, and <c>dotnet exec Zoo.Formats.Tests.dll atomic-writer-child FORMAT TARGET</c> runs the writer that
/// <see cref="AtomicWriteKillTests"/> kills at random moments.
/// </summary>
public static class TestAssemblyEntryPoint
{
    public static int Main(string[] args)
    {
        if (args.Length == 3 && args[0] == "atomic-writer-child") return AtomicWriterChild.Run(args[1], args[2]);
        Console.Error.WriteLine("this is a test assembly; run it with dotnet test");
        return 2;
    }
}
