using Zoo.Convert.Demo;
using Zoo.Convert.Tests.Support;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Demo;

/// <summary>One in-process <c>zoo-convert demo --quick --json</c> run into a temporary folder, shared by the demo tests.</summary>
public sealed class DemoQuickRun : IDisposable
{
    private readonly TempDir dir = new();

    public DemoQuickRun()
    {
        Result = CliRunner.Run("demo", "--quick", "--json", "--out", dir.Path);
        if (Result.Code is 0 or 1) Summary = DemoSummary.FromJson(Result.Out);
    }

    internal CliRunner.Result Result { get; }

    /// <summary>The summary printed on stdout (null when the run failed before printing one).</summary>
    internal DemoSummary? Summary { get; }

    public string Folder => dir.Path;

    public string File(string name) => Path.Combine(dir.Path, name);

    public void Dispose() => dir.Dispose();
}
