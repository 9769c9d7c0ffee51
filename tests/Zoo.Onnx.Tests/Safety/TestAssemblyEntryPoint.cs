namespace Zoo.Onnx.Tests.Safety;

/// <summary>
/// The test assembly's entry point (the test SDK's generated one is turned off): test runners never call it, and
/// <c>dotnet exec Zoo.Onnx.Tests.dll atomic-writer-child onnx TARGET</c> runs the exporter that
/// <see cref="OnnxAtomicWriteKillTests"/> kills at random moments.
/// </summary>
public static class TestAssemblyEntryPoint
{
    public static int Main(string[] args)
    {
        if (args.Length == 3 && args[0] == "atomic-writer-child")
            return Zoo.Formats.Tests.Safety.AtomicWriteKill.Child(args[1], args[2], OnnxAtomicWriteKillTests.Save);
        Console.Error.WriteLine("this is a test assembly; run it with dotnet test");
        return 2;
    }
}
