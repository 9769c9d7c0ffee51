using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.Formats;

/// <summary>write → read is the identity for every binary Keras format, on generated graphs and weights.</summary>
public class BinaryFormatProperties
{
    [Property(MaxTest = 60)]
    public Property Hdf5_full_model_write_then_read_is_the_identity(int seed)
    {
        var g = RandomWeightedGraphs.Build(seed);
        using var dir = new TempDir();
        var path = dir.File("m.h5");
        KerasFile.Save(g, path, new SaveOptions { Format = KerasFormat.H5Full });
        var diffs = GraphComparer.Differences(g, KerasFile.Load(path));
        return (diffs.Count == 0).Label(string.Join("; ", diffs));
    }

    [Property(MaxTest = 60)]
    public Property Hdf5_weights_only_write_then_read_is_the_identity(int seed)
    {
        var g = RandomWeightedGraphs.Build(seed);
        using var dir = new TempDir();
        var arch = dir.File("m.json");
        var weights = dir.File("w.h5");
        KerasFile.Save(g, arch);
        KerasFile.Save(g, weights, new SaveOptions { Format = KerasFormat.H5Weights });
        var diffs = GraphComparer.Differences(g, KerasFile.Load(arch, weights));
        return (diffs.Count == 0).Label(string.Join("; ", diffs));
    }

    [Property(MaxTest = 60)]
    public Property Keras_archive_write_then_read_keeps_every_weight_bit_for_bit(int seed)
    {
        var g = RandomWeightedGraphs.Build(seed);
        using var dir = new TempDir();
        var path = dir.File("m.keras");
        if (!g.AllWeights().Any()) return true.ToProperty();
        KerasFile.Save(g, path);
        var back = KerasFile.Load(path);
        var diffs = GraphComparer.Differences(g, back, compareWeightNames: false, compareConfigs: false);
        var again = dir.File("again.keras");
        KerasFile.Save(back, again);
        bool deterministic = File.ReadAllBytes(path).AsSpan().SequenceEqual(File.ReadAllBytes(again));
        return (diffs.Count == 0 && deterministic).Label(string.Join("; ", diffs) + (deterministic ? "" : "; rewrite not byte-identical"));
    }

    [Property(MaxTest = 60)]
    public Property Keras3_weight_store_write_then_attach_is_the_identity(int seed)
    {
        var g = RandomWeightedGraphs.Build(seed);
        using var dir = new TempDir();
        var arch = dir.File("m.json");
        var weights = dir.File("m.weights.h5");
        KerasFile.Save(g, arch);
        KerasFile.Save(g, weights);
        var diffs = GraphComparer.Differences(g, KerasFile.Load(arch, weights), compareWeightNames: false);
        return (diffs.Count == 0).Label(string.Join("; ", diffs));
    }
}

/// <summary>Keras splits name lists over 64,512 bytes into numbered chunks; lists around that edge must round-trip.</summary>
public class NameListEdgeProperties
{
    [Property(MaxTest = 25)]
    public Property Layer_name_lists_around_the_64_KiB_attribute_limit_round_trip(int seed)
    {
        var r = new Random(seed);
        // Aim the encoded layer_names size at 64,512 bytes ± 2,000.
        int target = 64_512 + r.Next(-2_000, 2_000);
        var g = new ModelGraph { ClassName = "Functional", Name = "edge", HasArchitecture = false };
        int used = 0, i = 0;
        while (used < target)
        {
            var len = Math.Min(target - used, r.Next(40, 400));
            var name = $"l{i++}_" + new string((char)('a' + r.Next(26)), Math.Max(1, len - 8)) + (r.Next(3) == 0 ? "é" : "");
            var layer = new LayerNode("", name);
            if (r.Next(4) == 0) layer.Weights.Add(WeightTensor.FromFloat32($"{name}/kernel:0", [2], [1f, 2f]));
            g.Layers.Add(layer);
            used += System.Text.Encoding.UTF8.GetByteCount(name);
        }
        using var dir = new TempDir();
        var path = dir.File("w.h5");
        KerasFile.Save(g, path, new SaveOptions { Format = KerasFormat.H5Weights });
        var back = KerasFile.Load(path);
        bool sameNames = back.Layers.Select(l => l.Name).SequenceEqual(g.Layers.Select(l => l.Name));
        var diffs = GraphComparer.Differences(g, back);
        return (sameNames && diffs.Count == 0).Label($"{g.Layers.Count} names, ~{used} bytes: {string.Join("; ", diffs)}");
    }
}
