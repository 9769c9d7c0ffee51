using System.Diagnostics;
using System.Security.Cryptography;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.Safety;

/// <summary>
/// Kills a child process that is saving a large model with every writer (full HDF5, weights HDF5, .keras, Keras 3
/// .weights.h5, JSON, YAML, ONNX) at random moments, 56 times in all, and checks the target is always exactly the old complete file or the new complete file.
/// A kill can leave the writer's temp file behind: it is dot-prefixed and names the dead process
/// (<c>.model.h5.PID.GUID.tmp</c>), never the target's name, and the next save does not depend on it.
/// That litter is accepted (a SIGKILL runs no cleanup); this test only requires that it is all of that form.
/// </summary>
public sealed class AtomicWriteKillTests : IDisposable
{
    private const int KillsPerFormat = 8; // × 7 writers = 56 kills
    private readonly TempDir dir = new();

    [Theory]
    [InlineData("h5", "model.h5")]
    [InlineData("weights-h5", "weights.h5")]
    [InlineData("keras", "model.keras")]
    [InlineData("keras3-weights", "model.weights.h5")]
    [InlineData("json", "model.json")]
    [InlineData("yaml", "model.yaml")]
    [InlineData("onnx", "model.onnx")]
    public void A_writer_killed_at_any_moment_leaves_the_old_file_or_the_new_one_never_a_partial_file(string format, string fileName)
    {
        var target = dir.File(fileName);
        var reference = dir.File("reference-" + fileName);
        var options = AtomicWriterChild.Options(format);
        KerasFile.Save(AtomicWriterChild.LargeGraph(format, "old"), target, options);
        var oldHash = Hash(target);
        KerasFile.Save(AtomicWriterChild.LargeGraph(format, "new"), reference, options);
        var newHash = Hash(reference);
        var oneSave = Stopwatch.StartNew();
        KerasFile.Save(AtomicWriterChild.LargeGraph(format, "new"), reference, options);
        oneSave.Stop();
        Assert.Equal(newHash, Hash(reference)); // the writer is deterministic, so "new complete file" has one hash
        File.Delete(reference);
        Assert.NotEqual(oldHash, newHash);

        var random = new Random(FuzzingSeed(format));
        int sawNew = 0, sawOld = 0;
        for (int kill = 0; kill < KillsPerFormat; kill++)
        {
            using var child = StartChild(format, target);
            // Even kills land anywhere in the first save (which also pays for JIT); odd ones wait for a
            // completed save and then land anywhere in the next, so both the old→new rename and a
            // new→new rewrite are interrupted at random points.
            if (kill % 2 == 1) WaitForSave(child);
            Thread.Sleep(random.Next(0, 20 + 2 * (int)oneSave.ElapsedMilliseconds));
            child.Kill(entireProcessTree: true);
            child.WaitForExit();

            var hash = Hash(target);
            Assert.True(hash == oldHash || hash == newHash, $"kill {kill}: the target is neither the old nor the new complete file");
            if (hash == newHash) sawNew++; else sawOld++;
            foreach (var other in Directory.GetFiles(dir.Path).Select(Path.GetFileName).Where(n => n != fileName))
                Assert.Matches($@"^\.{System.Text.RegularExpressions.Regex.Escape(fileName)}\.\d+\.[0-9a-f]{{32}}\.tmp$", other!);
        }
        Assert.True(sawNew > 0, "no child ever finished a save before being killed: the test never saw a replacement");
        // The litter of the kills does not get in the way of the next save, which completes the file.
        KerasFile.Save(AtomicWriterChild.LargeGraph(format, "old"), target, options);
        Assert.Equal(oldHash, Hash(target));
    }

    private static Process StartChild(string format, string target)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "exec", typeof(AtomicWriterChild).Assembly.Location, "atomic-writer-child", format, target }) psi.ArgumentList.Add(a);
        var child = Process.Start(psi)!;
        var line = child.StandardOutput.ReadLine();
        if (line != "ready")
        {
            child.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"the writer child did not start: {line} {child.StandardError.ReadToEnd()}");
        }
        return child;
    }

    private static void WaitForSave(Process child)
    {
        var line = child.StandardOutput.ReadLine();
        if (line is null || !line.StartsWith("saved ", StringComparison.Ordinal))
            throw new InvalidOperationException($"the writer child stopped before saving: {line} {child.StandardError.ReadToEnd()}");
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static int FuzzingSeed(string format) => format.Length * 7919 + 20261126;

    public void Dispose() => dir.Dispose();
}
