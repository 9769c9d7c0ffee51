using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Zoo.Formats.Ir;

namespace Zoo.Formats.Tests.Safety;

/// <summary>
/// The kill test of one writer, shared by the test projects whose libraries write files (linked, not copied): a child
/// process saving a large model is killed at random moments, <see cref="KillsPerFormat"/> times, and the target must
/// always be exactly the old complete file or the new complete file. A kill can leave the writer's temp file behind:
/// it is dot-prefixed and names the dead process (<c>.model.h5.PID.GUID.tmp</c>), never the target's name, and the
/// next save does not depend on it. That litter is accepted (a SIGKILL runs no cleanup); only its form is checked.
/// The child is the test assembly itself: its entry point runs <see cref="Child"/> for
/// <c>dotnet exec ASSEMBLY atomic-writer-child FORMAT TARGET</c>.
/// </summary>
/// <param name="folder">Where the target and the reference copy are written.</param>
/// <param name="childAssembly">The test assembly whose entry point runs <see cref="Child"/>.</param>
/// <param name="save">Saves a graph in the named format to a path (the same call the child makes).</param>
public sealed class AtomicWriteKill(string folder, Assembly childAssembly, Action<string, ModelGraph, string> save)
{
    public const int KillsPerFormat = 8;

    /// <summary>Kills the writer of <paramref name="format"/> while it saves over <paramref name="fileName"/>, and checks every outcome.</summary>
    public void Run(string format, string fileName)
    {
        var target = Path.Combine(folder, fileName);
        var reference = Path.Combine(folder, "reference-" + fileName);
        save(format, LargeGraph(format, "old"), target);
        var oldHash = Hash(target);
        save(format, LargeGraph(format, "new"), reference);
        var newHash = Hash(reference);
        var oneSave = Stopwatch.StartNew();
        save(format, LargeGraph(format, "new"), reference);
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
            foreach (var other in Directory.GetFiles(folder).Select(Path.GetFileName).Where(n => n != fileName))
                Assert.Matches($@"^\.{System.Text.RegularExpressions.Regex.Escape(fileName)}\.\d+\.[0-9a-f]{{32}}\.tmp$", other!);
        }
        Assert.True(sawNew > 0, "no child ever finished a save before being killed: the test never saw a replacement");
        // The litter of the kills does not get in the way of the next save, which completes the file.
        save(format, LargeGraph(format, "old"), target);
        Assert.Equal(oldHash, Hash(target));
    }

    /// <summary>
    /// The child's side: builds a large model (megabytes of weights, thousands of layers for JSON and YAML), says
    /// "ready", then saves it over the target again and again, saying "saved N" after each, until it is killed.
    /// </summary>
    public static int Child(string format, string target, Action<string, ModelGraph, string> save)
    {
        var graph = LargeGraph(format, "new");
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        for (long n = 1; ; n++)
        {
            save(format, graph, target);
            Console.Out.WriteLine($"saved {n}");
            Console.Out.Flush();
        }
    }

    /// <summary>A deterministic model whose saved bytes depend only on <paramref name="format"/> and <paramref name="version"/>.</summary>
    public static ModelGraph LargeGraph(string format, string version)
    {
        bool text = format is "json" or "yaml"; // architecture only: thousands of layers make the file large
        int layers = text ? 1500 : 24;
        int units = text ? 4 : 256;
        var g = new ModelGraph { ClassName = "Sequential", Name = "big_" + version };
        bool keras3 = format is "keras" or "keras3-weights";
        g.Metadata.Dialect = keras3 ? KerasDialectKind.Keras3 : KerasDialectKind.Keras2;
        g.Metadata.KerasVersion = keras3 ? "3.10.0" : "2.15.0";
        g.Metadata.Backend = "tensorflow";
        g.SequentialConfigIsList = false;
        var input = new LayerNode("InputLayer", "input", new JsonObject
        {
            [keras3 ? "batch_shape" : "batch_input_shape"] = new JsonArray(null, units),
            ["dtype"] = "float32",
            ["name"] = "input",
        });
        g.Layers.Add(input);
        var values = new float[units * units];
        for (int i = 0; i < values.Length; i++) values[i] = (i % 97) / 97f + (version == "new" ? 2 : 1);
        for (int i = 0; i < layers; i++)
        {
            var name = $"dense_{i}";
            var layer = new LayerNode("Dense", name, new JsonObject { ["name"] = name, ["units"] = units, ["activation"] = "linear", ["use_bias"] = false, ["trainable"] = true, ["dtype"] = "float32" });
            layer.Weights.Add(WeightTensor.FromFloat32($"{name}/kernel:0", [units, units], values));
            g.Layers.Add(layer);
        }
        return g;
    }

    private Process StartChild(string format, string target)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "exec", childAssembly.Location, "atomic-writer-child", format, target }) psi.ArgumentList.Add(a);
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
}
