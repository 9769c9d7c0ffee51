using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Zoo.Models.Tests.CrossCheck;

/// <summary>
/// Runs tests/crosscheck/crosscheck.mjs: npm's h5wasm (libhdf5 in WebAssembly) and tfjs-layers (an
/// independent Keras implementation, pure-JS CPU backend). Absent Node.js or an un-installed
/// node_modules make <see cref="SkipReason"/> say so, and the cross-check tests skip with it.
/// </summary>
internal static class NodeCrossCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly Lazy<(string? Dir, string? Skip)> probe = new(Probe);

    /// <summary>The tests/crosscheck folder, or null when the tool cannot run.</summary>
    public static string? Directory => probe.Value.Dir;

    /// <summary>Why the cross-check cannot run here, or null when it can.</summary>
    public static string? SkipReason => probe.Value.Skip;

    /// <summary>Writes <paramref name="request"/> into <paramref name="workDir"/>, runs the tool once, returns its result.</summary>
    public static JsonObject Run(JsonObject request, string workDir)
    {
        var dir = Directory ?? throw new InvalidOperationException(SkipReason);
        var requestPath = Path.Combine(workDir, "request.json");
        var resultPath = Path.Combine(workDir, "result.json");
        File.WriteAllText(requestPath, request.ToJsonString());
        var (code, output) = Exec("node", dir, Path.Combine(dir, "crosscheck.mjs"), requestPath, resultPath);
        if (code != 0 || !File.Exists(resultPath))
            throw new InvalidOperationException($"crosscheck.mjs exited {code}: {output}");
        return (JsonObject)JsonNode.Parse(File.ReadAllText(resultPath))!;
    }

    private static (string? Dir, string? Skip) Probe()
    {
        string? dir = null;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null && dir is null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "tests", "crosscheck");
            if (File.Exists(Path.Combine(candidate, "crosscheck.mjs"))) dir = candidate;
        }
        if (dir is null) return (null, "tests/crosscheck/crosscheck.mjs was not found above the test binaries");
        try
        {
            var (code, version) = Exec("node", dir, "--version");
            if (code != 0) return (null, $"`node --version` exited {code}: install Node.js 18+ to run the tfjs-layers/h5wasm cross-check");
            if (!System.IO.Directory.Exists(Path.Combine(dir, "node_modules", "@tensorflow", "tfjs-layers"))
                || !System.IO.Directory.Exists(Path.Combine(dir, "node_modules", "h5wasm")))
                return (null, $"node {version.Trim()} is present but tests/crosscheck/node_modules is not installed: run scripts/crosscheck-setup.sh");
            return (dir, null);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, "node is not on PATH: install Node.js 18+ and run scripts/crosscheck-setup.sh to run the tfjs-layers/h5wasm cross-check");
        }
    }

    private static (int Code, string Output) Exec(string program, string workDir, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(Timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} ran longer than {Timeout}");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
