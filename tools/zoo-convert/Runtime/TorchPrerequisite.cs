using System.Text;

namespace Zoo.Convert.Runtime;

/// <summary>
/// Checks, before anything touches TorchSharp, that its native library can load: libtorch 2.10 needs a
/// libstdc++ that exports <see cref="Symbol"/> (GCC 13 or later), and Debian 12 ships GCC 12's. Without this
/// check the first TorchSharp call prints dozens of lines of native-library probing and ends in a type
/// initializer error; with it the commands that need TorchSharp stop with one line that says what to run.
/// </summary>
internal static class TorchPrerequisite
{
    /// <summary>The symbol version libtorch 2.10 links against.</summary>
    public const string Symbol = "GLIBCXX_3.4.32";

    /// <summary>
    /// Environment variable naming the libstdc++ to examine instead of the one this process loaded: for tests,
    /// and for a check against a library about to be installed.
    /// </summary>
    public const string LibraryVariable = "ZOO_LIBSTDCXX";

    /// <summary>What to do about it, in one sentence (shared by the check and the late catch in <see cref="Cli"/>).</summary>
    public const string Fix = "run 'sudo scripts/prereq.sh' from a Zoo checkout (Debian 12), or install a libstdc++6 from GCC 13 or later "
        + "(Debian 13 and Ubuntu 24.04 ship one); inspect, convert, export-triton, zoo and demo --formats-only work without it";

    /// <summary>Throws <see cref="MissingPrerequisiteException"/> when TorchSharp's native library cannot load here.</summary>
    public static void Require()
    {
        if (Problem() is { } problem) throw new MissingPrerequisiteException(problem);
    }

    /// <summary>Null when TorchSharp can load (or when this platform is not one the check knows); otherwise the one-line reason and fix.</summary>
    public static string? Problem()
    {
        var forced = Environment.GetEnvironmentVariable(LibraryVariable);
        if (string.IsNullOrEmpty(forced) && !OperatingSystem.IsLinux()) return null;
        var library = string.IsNullOrEmpty(forced) ? LoadedLibStdCxx() : forced;
        if (library is null) return null; // a static or unusual runtime: let TorchSharp itself decide
        if (!File.Exists(library)) return $"TorchSharp needs a libstdc++ with {Symbol}; {library} does not exist. Fix: {Fix}";
        return Exports(library, Symbol) ? null
            : $"TorchSharp needs a libstdc++ with {Symbol} (GCC 13 or later); {library} lacks it. Fix: {Fix}";
    }

    /// <summary>The libstdc++ this process has mapped (the .NET host links it, so libtorch would get the same one).</summary>
    private static string? LoadedLibStdCxx()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/');
                if (slash < 0) continue;
                var path = line[slash..];
                if (Path.GetFileName(path).StartsWith("libstdc++.so", StringComparison.Ordinal)) return path;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>Whether the library's bytes hold the version name (its version-definition string table does when it exports it).</summary>
    internal static bool Exports(string library, string symbol)
    {
        var needle = Encoding.ASCII.GetBytes(symbol + "\0");
        var bytes = File.ReadAllBytes(library);
        return bytes.AsSpan().IndexOf(needle) >= 0;
    }
}

/// <summary>A native library a command needs cannot load here; the message names it and the fix (exit code 3).</summary>
internal sealed class MissingPrerequisiteException(string message) : Exception(message);
