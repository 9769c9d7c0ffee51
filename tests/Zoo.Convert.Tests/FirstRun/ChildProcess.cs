using System.Diagnostics;

namespace Zoo.Convert.Tests.FirstRun;

/// <summary>Runs zoo-convert as its own process, for what an in-process run cannot show (native libraries writing to fd 2, the environment).</summary>
internal static class ChildProcess
{
    public static (int Code, string Out, string Err) Run(IReadOnlyDictionary<string, string>? environment, params string[] args)
        => Dotnet(["exec", typeof(Cli).Assembly.Location, .. args], null, environment);

    /// <summary>zoo-convert run from <paramref name="workingDirectory"/>, as a user types it there.</summary>
    public static (int Code, string Out, string Err) RunIn(string workingDirectory, params string[] args)
        => Dotnet(["exec", typeof(Cli).Assembly.Location, .. args], workingDirectory, null);

    /// <summary>
    /// The <c>dotnet</c> host with <paramref name="args"/>. MSBuild's variables that <c>dotnet test</c> leaves in this
    /// process are removed, so that a child <c>dotnet build</c> resolves its SDK as it would in a user's shell.
    /// </summary>
    public static (int Code, string Out, string Err) Dotnet(IEnumerable<string> args, string? workingDirectory,
        IReadOnlyDictionary<string, string>? environment, int timeoutSeconds = 120)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(key);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var child = Process.Start(psi)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(timeoutSeconds * 1000))
        {
            child.Kill(entireProcessTree: true);
            Assert.Fail($"'dotnet {string.Join(' ', psi.ArgumentList)}' did not exit within {timeoutSeconds} s");
        }
        return (child.ExitCode, stdout.Result, stderr.Result);
    }
}
