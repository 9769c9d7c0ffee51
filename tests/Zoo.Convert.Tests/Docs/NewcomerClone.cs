using Zoo.Convert.Tests.FirstRun;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Docs;

/// <summary>
/// A folder where a newcomer has just run the README's demo command (<c>--quick</c>, which writes the same files), as
/// its own process: <c>./zoo-demo</c> holds the trained LeNet-5 in every format and the sample digits the README's
/// tour and library example use.
/// </summary>
public sealed class NewcomerClone : IDisposable
{
    private readonly TempDir dir = new();

    public NewcomerClone() => Demo = ChildProcess.RunIn(dir.Path, "demo", "--quick");

    /// <summary>The demo's exit code and output.</summary>
    internal (int Code, string Out, string Err) Demo { get; }

    /// <summary>The folder the README's commands run in.</summary>
    public string Root => dir.Path;

    /// <summary>Fails the calling test unless the demo wrote its files.</summary>
    public void RequireDemo() => Assert.True(Demo.Code == 0, $"'zoo-convert demo --quick' exited {Demo.Code}: {Demo.Err}{Demo.Out}");

    public void Dispose() => dir.Dispose();
}

/// <summary>The README's tests share one demo run, one test at a time (they write into its folder).</summary>
[CollectionDefinition(Name)]
public sealed class NewcomerCollection : ICollectionFixture<NewcomerClone>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "a newcomer's clone after the demo";
}
