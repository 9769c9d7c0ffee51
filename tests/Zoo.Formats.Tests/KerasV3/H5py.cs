using System.Diagnostics;

namespace Zoo.Formats.Tests.KerasV3;

/// <summary>Runs Debian's Python with h5py (/usr/bin/python3) to check files with the reference HDF5 library.</summary>
public static class H5py
{
    private const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> available = new(() => File.Exists(Python) && Run("import h5py, numpy").ExitCode == 0);

    /// <summary>Skips the test when h5py is not installed.</summary>
    public static void Require() => Skip.IfNot(available.Value, $"{Python} with h5py is not installed");

    /// <summary>Runs a Python script with arguments; returns exit code and standard output.</summary>
    public static (int ExitCode, string Output, string Error) Run(string script, params string[] args)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, output.Result, error.Result);
    }
}
