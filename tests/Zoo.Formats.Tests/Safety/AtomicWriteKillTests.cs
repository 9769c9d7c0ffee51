using System.Diagnostics;
using System.Security.Cryptography;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.Safety;

/// <summary>
/// Kills a child process that is saving a large model (HDF5, .keras, JSON) at random moments, 54 times in
/// all, and checks the target is always exactly the old complete file or the new complete file.
/// A kill can leave the writer's temp file behind: it is dot-prefixed and names the dead process
/// (<c>.model.h5.PID.GUID.tmp</c>), never the target's name, and the next save does not depend on it.
/// That litter is accepted (a SIGKILL runs no cleanup); this test only requires that it is all of that form.
/// </summary>
public sealed class AtomicWriteKillTests : IDisposable
{
    private const int KillsPerFormat = 18;
    private readonly TempDir dir = new();

    [Theory]
    [InlineData("h5", "model.h5")]
    [InlineData("keras", "model.keras")]
    [InlineData("json", "model.json")]
    public void A_writer_killed_at_any_moment_leaves_the_old_file_or_the_new_one_never_a_partial_file(string format, string fileName)
    {
        var target = dir.File(fileName);
        var reference = dir.File("reference-" + fileName);
        KerasFile.Save(AtomicWriterChild.LargeGraph(format, "old"), target);
        var oldHash = Hash(target);
        KerasFile.Save(AtomicWriterChild.LargeGraph(format, "new"), reference);
        var newHash = Hash(reference);
        KerasFile.Save(AtomicWriterChild.LargeGraph(format, "new"), reference);
        Assert.Equal(newHash, Hash(reference)); // the writer is deterministic, so "new complete file" has one hash
        File.Delete(reference);
        Assert.NotEqual(oldHash, newHash);

        var random = new Random(FuzzingSeed(format));
        int sawNew = 0, sawOld = 0;
        for (int kill = 0; kill < KillsPerFormat; kill++)
        {
            using var child = StartChild(format, target);
            Thread.Sleep(random.Next(0, 400));
            child.Kill(entireProcessTree: true);
            child.WaitForExit();

            var hash = Hash(target);
            Assert.True(hash == oldHash || hash == newHash, $"kill {kill}: the target is neither the old nor the new complete file");
            if (hash == newHash) sawNew++; else sawOld++;
            foreach (var other in Directory.GetFiles(dir.Path).Select(Path.GetFileName).Where(n => n != fileName))
                Assert.Matches($@"^\.{System.Text.RegularExpressions.Regex.Escape(fileName)}\.\d+\.[0-9a-f]{{32}}\.tmp$", other!);
        }
        Assert.True(sawNew > 0, "no child ever finished a save before being killed: the test never saw a replacement");
        Assert.True(KerasFile.Load(target).Layers.Count > 1);
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

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static int FuzzingSeed(string format) => format.Length * 7919 + 20261126;

    public void Dispose() => dir.Dispose();
}
