using System.Diagnostics;
using System.Text;
using Zoo.Formats.IO;

namespace Zoo.Formats.Tests.Fuzzing.Hostile;

/// <summary>
/// A structure-aware generator of hostile inputs: each case is a structurally valid file (or model folder)
/// with one deliberate twist, drawn from <see cref="Random"/>. <see cref="Make"/> writes the case into an empty
/// folder and returns the path to read; <see cref="Read"/> is the reader under test, which must refuse with a
/// <see cref="ZooException"/> (or accept) in bounded memory and time.
/// </summary>
public sealed record HostileGenerator(string Name, Func<string, Random, string> Make, Action<string> Read);

/// <summary>
/// The generators for the classes of issue 15 that C# can build (zip, tfjs, npz/npy, YAML/JSON). HDF5 cases
/// are built by h5py (<see cref="HostileH5"/>); the image case lives beside the image tests. They serve the
/// fuzz campaigns (bench/Zoo.Fuzz <c>hostile</c>) and, with fixed seeds, the regression tests.
/// </summary>
public static class HostileGenerators
{
    /// <summary>A Keras 3 Sequential config that any of these weight stores can sit beside.</summary>
    public const string TinyConfig = """{"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 2], "dtype": "float32", "name": "input"}}, {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "linear", "use_bias": false, "dtype": "float32"}}]}}""";

    /// <summary>Every C# generator.</summary>
    public static IReadOnlyList<HostileGenerator> All { get; } =
    [
        new("keras-zip", KerasZip, p => KerasFile.Load(p)),
        new("tfjs", Tfjs, p => KerasFile.Load(p)),
        new("npz", NpzCase, p => Npz.Read(p, ["x", "y"])),
        new("text", Text, p => KerasFile.Load(p)),
    ];

    /// <summary>A <c>.keras</c> whose zip structure is the twist: shared entries, many small assets, a symlink entry, a bad config.</summary>
    public static string KerasZip(string dir, Random r)
    {
        var path = Path.Combine(dir, "model.keras");
        var config = new HostileZip.Entry("config.json", Encoding.UTF8.GetBytes(TinyConfig));
        var zeros = new byte[(1 << 20) - r.Next(1, 4096)];
        switch (r.Next(4))
        {
            case 0: // one compressed MiB inflated again by every central-directory entry that points at it
                HostileZip.Write(path, [config, new("assets/a", zeros)], aliases: r.Next(100, 3000));
                break;
            case 1: // many entries, each just under the per-entry ratio floor
                HostileZip.Write(path, [config, .. Enumerable.Range(0, r.Next(50, 1500)).Select(i => new HostileZip.Entry($"assets/{i}", zeros))]);
                break;
            case 2: // an asset that is a symbolic link (mode 0120777)
                HostileZip.Write(path, [config, new("assets/link", Encoding.UTF8.GetBytes(r.Next(2) == 0 ? "/etc/passwd" : "../../x"), Deflate: false, UnixMode: 0xA1FF)]);
                break;
            default: // a config string holding a lone UTF-16 surrogate escape
                var bad = TinyConfig.Replace("\"name\": \"s\"", $"\"name\": \"\\u{0xD800 + r.Next(0x800):x4}\"");
                HostileZip.Write(path, [new("config.json", Encoding.UTF8.GetBytes(bad)), new("model.weights.h5", new byte[r.Next(0, 64)])]);
                break;
        }
        return path;
    }

    /// <summary>A tfjs model folder whose manifest or shards are the twist.</summary>
    public static string Tfjs(string dir, Random r)
    {
        var path = Path.Combine(dir, "model.json");
        long[] shape = [2, 2];
        string[] paths = ["group1-shard1of1.bin"];
        File.WriteAllBytes(Path.Combine(dir, paths[0]), new byte[16]);
        switch (r.Next(7))
        {
            case 0: // one shard listed again and again
                paths = Enumerable.Repeat(paths[0], r.Next(2, 3000)).ToArray();
                shape = [2, 2 * paths.Length];
                break;
            case 1: // the shard is a link to a device or to a file outside the folder
                File.Delete(Path.Combine(dir, paths[0]));
                File.CreateSymbolicLink(Path.Combine(dir, paths[0]), r.Next(2) == 0 ? "/dev/zero" : "/etc/hostname");
                break;
            case 2: // the shard sits in a folder that is a link out of the model folder
                var outside = Directory.CreateDirectory(Path.Combine(dir, "..", $"outside{r.Next(1000)}")).FullName;
                File.WriteAllBytes(Path.Combine(outside, "w.bin"), new byte[16]);
                Directory.CreateSymbolicLink(Path.Combine(dir, "sub"), outside);
                paths = ["sub/w.bin"];
                break;
            case 3: // a NUL inside the shard name
                paths = [$"group1\0{r.Next(100)}.bin"];
                break;
            case 4: // a shape whose byte size wraps 64 bits
                shape = [(1L << 62) + r.Next(1, 1000)];
                break;
            case 5: // sizes that each fit but add up past 2^63
                shape = [(1L << 61) - 1];
                break;
            default: // the shard is a FIFO: opening it would block
                paths = ["group1-fifo.bin"];
                if (!MakeFifo(Path.Combine(dir, paths[0]))) File.WriteAllBytes(Path.Combine(dir, paths[0]), new byte[15]);
                break;
        }
        var weights = r.Next(2) == 0 || shape[0] != (1L << 61) - 1
            ? $"[{{\"name\": \"dense/kernel\", \"shape\": [{string.Join(", ", shape)}], \"dtype\": \"float32\"}}]"
            : $"[{{\"name\": \"dense/kernel\", \"shape\": [{shape[0]}], \"dtype\": \"float32\"}}, {{\"name\": \"dense/bias\", \"shape\": [{shape[0]}], \"dtype\": \"float32\"}}]";
        var manifest = $"[{{\"paths\": [{string.Join(", ", paths.Select(p => System.Text.Json.JsonSerializer.Serialize(p)))}], \"weights\": {weights}}}]";
        var topology = TinyConfig.Replace("\"module\": \"keras\", ", "");
        File.WriteAllText(path, $"{{\"format\": \"layers-model\", \"modelTopology\": {{\"keras_version\": \"3.10.0\", \"model_config\": {topology}}}, \"weightsManifest\": {manifest}}}");
        return path;
    }

    /// <summary>An .npz whose unused entry is a bomb, whose used entry's header lies, or whose descr uses non-ASCII digits.</summary>
    public static string NpzCase(string dir, Random r)
    {
        var path = Path.Combine(dir, "data.npz");
        var x = NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", new byte[16]);
        var y = NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new byte[8]);
        switch (r.Next(3))
        {
            case 0: // an unused entry of zeros that would inflate to hundreds of megabytes
                HostileZip.Write(path, [new("x.npy", x), new("y.npy", y), new("junk.npy", NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (100000000,), }", new byte[0]))],
                    aliases: r.Next(0, 800));
                break;
            case 1: // a used entry whose header declares far more than its compressed bytes can hold
                var lie = NpyBytes($"{{'descr': '<f4', 'fortran_order': False, 'shape': ({r.Next(100_000, 1_000_000)}, 1000), }}", new byte[64]);
                HostileZip.Write(path, [new("x.npy", lie), new("y.npy", y)]);
                break;
            default: // a version 3 header whose descr size is written in Arabic-Indic digits
                var header = "{'descr': '<f\u0664', 'fortran_order': False, 'shape': (2, 2), }";
                HostileZip.Write(path, [new("x.npy", NpyBytes(header, new byte[16], major: 3)), new("y.npy", y)]);
                break;
        }
        return path;
    }

    /// <summary>Architecture text whose twist is a YAML tag on a key, a leading-zero float, deep nesting or a lone surrogate escape.</summary>
    public static string Text(string dir, Random r)
    {
        switch (r.Next(4))
        {
            case 0:
                var tag = new[] { "!!python/name:os.system", "!!python/object/apply:os.system", "!!python/module:os", "!custom" }[r.Next(4)];
                return Write(dir, "model.yaml", $"class_name: Sequential\nconfig:\n  name: s\n  {tag} key: 1\n  layers: []\n");
            case 1:
                return Write(dir, "model.yaml", $"class_name: Sequential\nconfig:\n  name: s\n  layers:\n  - class_name: Dropout\n    config: {{name: d, rate: {new string('0', r.Next(1, 5))}{r.Next(0, 10)}.{r.Next(0, 100)}, batch_input_shape: [null, 2]}}\n");
            case 2:
                int depth = r.Next(300, 100_000);
                return r.Next(2) == 0
                    ? Write(dir, "model.yaml", "class_name: Sequential\nconfig: " + new string('[', depth) + new string(']', depth) + "\n")
                    : Write(dir, "model.json", "{\"class_name\": \"Sequential\", \"config\": " + new string('[', depth) + new string(']', depth) + "}");
            default:
                return Write(dir, "model.json", TinyConfig.Replace("\"name\": \"dense\"", $"\"name\": \"\\u{0xDC00 + r.Next(0x400):x4}x\""));
        }
    }

    /// <summary>An .npy file's bytes: magic, version, header (padded as NumPy pads it) and data.</summary>
    public static byte[] NpyBytes(string header, byte[] data, int major = 1)
    {
        var text = Encoding.UTF8.GetBytes(header + "\n");
        using var s = new MemoryStream();
        s.Write([0x93, .. "NUMPY"u8, (byte)major, 0]);
        if (major == 1) s.Write(BitConverter.GetBytes((ushort)text.Length));
        else s.Write(BitConverter.GetBytes((uint)text.Length));
        s.Write(text);
        s.Write(data);
        return s.ToArray();
    }

    private static string Write(string dir, string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Makes a FIFO with mkfifo(1); false where there is none.</summary>
    public static bool MakeFifo(string path)
    {
        if (!File.Exists("/usr/bin/mkfifo")) return false;
        using var p = Process.Start(new ProcessStartInfo("/usr/bin/mkfifo", [path]) { UseShellExecute = false })!;
        p.WaitForExit();
        return p.ExitCode == 0;
    }
}
