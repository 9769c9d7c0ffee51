using System.Diagnostics;

namespace Zoo.Convert.Tests.FirstRun;

/// <summary>Runs zoo-convert as its own process, for what an in-process run cannot show (native libraries writing to fd 2, the environment).</summary>
internal static class ChildProcess
{
    public static (int Code, string Out, string Err) Run(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "exec", typeof(Cli).Assembly.Location }.Concat(args)) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var child = Process.Start(psi)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        Assert.True(child.WaitForExit(120_000), "zoo-convert did not exit within two minutes");
        return (child.ExitCode, stdout.Result, stderr.Result);
    }
}
