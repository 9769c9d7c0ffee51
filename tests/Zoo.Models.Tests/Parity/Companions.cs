using Zoo.Formats;
using Zoo.Formats.Hdf5;
using Zoo.Formats.IO;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;

namespace Zoo.Models.Tests.Parity;

/// <summary>Reads the expected inputs/outputs that real Keras projects shipped beside their models.</summary>
internal static class Companions
{
    /// <summary>Loads a fixture model through the front door, <see cref="KerasModel.Load(string)"/>.</summary>
    public static KerasModel Model(string localPath) => KerasModel.Load(Fixtures.Path(localPath));

    /// <summary>The one dataset in group <paramref name="group"/> of a DL4J <c>*_inputs_and_outputs.h5</c>, as float32 with its shape.</summary>
    public static (float[] Data, long[] Shape) Dl4j(string localPath, string group)
    {
        var root = H5TreeReader.Read(Fixtures.Path(localPath));
        var g = root[group] as H5TreeGroup ?? throw new ModelFormatException($"expected a '{group}' group", localPath, group);
        var ds = g.Children.OfType<H5TreeDataset>().Single();
        return (new WeightTensor(ds.Name, ds.Shape, ds.DType, ds.Data).ToFloat32(), ds.Shape);
    }

    /// <summary>Every dataset of group <paramref name="group"/> (DL4J's per-layer <c>activations/</c>), by name.</summary>
    public static Dictionary<string, float[]> Dl4jAll(string localPath, string group)
    {
        var root = H5TreeReader.Read(Fixtures.Path(localPath));
        var g = root[group] as H5TreeGroup ?? throw new ModelFormatException($"expected a '{group}' group", localPath, group);
        return g.Children.OfType<H5TreeDataset>().ToDictionary(d => d.Name, d => new WeightTensor(d.Name, d.Shape, d.DType, d.Data).ToFloat32());
    }

    /// <summary>An hls4ml test-bench <c>.dat</c>: one whitespace-separated sample per line.</summary>
    public static float[][] Dat(string localPath)
        => File.ReadAllLines(Fixtures.Path(localPath)).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
                .Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();

    /// <summary>A <c>.npy</c> fixture.</summary>
    public static NpyArray Npy(string localPath) => Zoo.Formats.IO.Npy.Read(Fixtures.Path(localPath));
}
