using System.Diagnostics;
using System.Text;

namespace Zoo.Formats.Tests.Fuzzing.Hostile;

/// <summary>
/// Hostile HDF5 files made by h5py (hostile_h5.py beside this file, copied next to the assembly): soft-link
/// cycles, hard-link cycles, external links, dense groups, backslash names, chunk and global-heap bombs.
/// Debian's /usr/bin/python3 with h5py is the independent HDF5 writer; without it these cases are skipped.
/// </summary>
public static class HostileH5
{
    private const string Python = "/usr/bin/python3";
    private static readonly Lazy<bool> available = new(() => File.Exists(Python) && Run(["-c", "import h5py"], out _) == 0);

    /// <summary>The kinds the script makes.</summary>
    public static readonly string[] Kinds =
        ["soft_self", "soft_cycle", "soft_chain", "hard_cycle", "ext_dangling", "ext_fifo", "dense_soft",
         "backslash", "chunk_missing", "chunk_gzip", "chunk_huge", "chunk_overflow", "vlen_repeat"];

    /// <summary>True when h5py can be run.</summary>
    public static bool Available => available.Value;

    /// <summary>Why cases are skipped when h5py is absent.</summary>
    public const string AbsentReason = "h5py is not installed for /usr/bin/python3 (scripts/prereq.sh installs python3-h5py)";

    /// <summary>Writes one file of <paramref name="kind"/> at <paramref name="path"/>, sized by <paramref name="seed"/>.</summary>
    public static void Make(string kind, string path, int seed)
    {
        if (Run([Script(), "one", kind, path, seed.ToString(System.Globalization.CultureInfo.InvariantCulture)], out var error) != 0)
            throw new InvalidOperationException($"hostile_h5.py {kind} failed: {error}");
    }

    /// <summary>Writes <paramref name="count"/> cases of random kinds as <c>DIR/caseN/model.weights.h5</c>; returns each case's kind.</summary>
    public static string[] Batch(string dir, int count, int seed)
    {
        var kinds = new string[count];
        var psi = Start([Script(), "batch", dir, count.ToString(System.Globalization.CultureInfo.InvariantCulture), seed.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var p = Process.Start(psi)!;
        var error = p.StandardError.ReadToEndAsync();
        for (string? line; (line = p.StandardOutput.ReadLine()) is not null;)
        {
            var parts = line.Split(' ');
            kinds[int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture)] = parts[1];
        }
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"hostile_h5.py batch failed: {error.Result}");
        return kinds;
    }

    private static string Script() => Path.Combine(AppContext.BaseDirectory, "Hostile", "hostile_h5.py");

    private static ProcessStartInfo Start(string[] args)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    private static int Run(string[] args, out string error)
    {
        using var p = Process.Start(Start(args))!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        error = stderr.Result;
        return p.ExitCode;
    }
}
