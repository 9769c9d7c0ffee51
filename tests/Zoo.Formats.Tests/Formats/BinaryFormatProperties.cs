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
