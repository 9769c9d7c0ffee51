using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Zoo.Formats.Tests.Hdf5;

/// <summary>
/// Runs Debian's h5py (/usr/bin/python3) as an independent HDF5 implementation: to dump what a file
/// Zoo wrote really holds, and to make files Zoo must refuse. Tests skip with a reason when it is absent.
/// </summary>
public static class H5Py
{
    private const string Python = "/usr/bin/python3";
    private static readonly Lazy<bool> available = new(() => File.Exists(Python) && Run("import h5py").ExitCode == 0);

    /// <summary>Reason used when skipping.</summary>
    public const string AbsentReason = "h5py is not installed for /usr/bin/python3 (apt-get install python3-h5py)";

    /// <summary>Skips the current test when h5py is absent.</summary>
    public static void Require() => Skip.IfNot(available.Value, AbsentReason);

    /// <summary>h5py's JSON view of a file (groups, datasets with sha256, attributes with string kinds).</summary>
    public static JsonNode Dump(string path)
    {
        Require();
        var (code, output, error) = RunFile(ScriptPath(), path);
        if (code != 0) throw new InvalidOperationException($"h5py could not read {path}: {error}");
        return JsonNode.Parse(output)!;
    }

    /// <summary>Runs a Python snippet with h5py available; fails the test when it fails.</summary>
    public static void Exec(string code)
    {
        Require();
        var (exit, _, error) = Run(code);
        if (exit != 0) throw new InvalidOperationException($"python failed: {error}");
    }

    /// <summary>Runs a Python script (h5py available) with <paramref name="args"/>; fails the test when it fails.</summary>
    public static void RunScript(string script, params string[] args)
    {
        Require();
        var (exit, _, error) = Start([script, .. args]);
        if (exit != 0) throw new InvalidOperationException($"python {Path.GetFileName(script)} failed: {error}");
    }

    // Copied beside the assembly by the project file; [CallerFilePath] would give /_/… in a CI build.
    private static string ScriptPath() => Path.Combine(AppContext.BaseDirectory, "Hdf5", "h5dump_tree.py");

    private static (int ExitCode, string Output, string Error) Run(string code) => Start("-c", code);

    private static (int ExitCode, string Output, string Error) RunFile(string script, string arg) => Start(script, arg);

    private static (int, string, string) Start(params string[] args)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
