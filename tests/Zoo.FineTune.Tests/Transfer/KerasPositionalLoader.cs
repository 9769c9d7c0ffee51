using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Zoo.FineTune.Tests.Transfer;

/// <summary>
/// Asks <c>keras_positional_loader.py</c> (h5py, beside the tests) what tf.keras's legacy loader would do with a file:
/// it recomputes each layer's <c>trainable_weights + non_trainable_weights</c> from the file's own config and checks
/// every stored value sits at the position Keras assigns to its variable. Zoo's reader binds by name and cannot see this.
/// </summary>
internal static class KerasPositionalLoader
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Fails the test with the loader's findings unless every position is what Keras expects.</summary>
    public static JsonObject AssertLoadsByPosition(string h5)
    {
        var result = Run(h5);
        Assert.True(result["ok"]!.GetValue<bool>(), $"Keras's positional loader would misassign {h5}: " + string.Join("; ", result["problems"]!.AsArray()));
        return result;
    }

    /// <summary>The loader's JSON report for <paramref name="h5"/>.</summary>
    public static JsonObject Run(string h5)
    {
        Skip.IfNot(File.Exists(Python), "Debian's /usr/bin/python3 with h5py is not installed (scripts/prereq.sh)");
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Transfer", "keras_positional_loader.py"));
        psi.ArgumentList.Add(h5);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        Skip.If(p.ExitCode != 0 && stderr.Result.Contains("No module named 'h5py'"), "h5py is not installed for /usr/bin/python3 (scripts/prereq.sh)");
        Assert.True(p.ExitCode == 0, $"keras_positional_loader.py failed: {stderr.Result}");
        return (JsonObject)JsonNode.Parse(stdout.Result)!;
    }
}
