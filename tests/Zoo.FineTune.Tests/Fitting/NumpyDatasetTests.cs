using Zoo.FineTune.Fitting;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.IO;

namespace Zoo.FineTune.Tests.Fitting;

/// <summary>Datasets read from .npy and .npz files.</summary>
public sealed class NumpyDatasetTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("zoo-finetune-npy-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static NpyArray Labels(params long[] values)
        => new(new long[] { values.Length }, DType.Int64, values.SelectMany(BitConverter.GetBytes).ToArray());

    [Fact]
    public void Integer_labels_are_one_hot_encoded_when_a_class_count_is_given()
    {
        Npy.Write(Path.Combine(dir, "x.npy"), NpyArray.FromFloat32(new long[] { 3, 2 }, new float[] { 1, 2, 3, 4, 5, 6 }));
        Npy.Write(Path.Combine(dir, "y.npy"), Labels(2, 0, 1));
        var data = NumpyDataset.Load(Path.Combine(dir, "x.npy"), Path.Combine(dir, "y.npy"), classes: 3);
        Assert.Equal(new long[] { 3, 3 }, data.YShape);
        Assert.Equal(new float[] { 0, 0, 1, 1, 0, 0, 0, 1, 0 }, data.Y);
        var sparse = NumpyDataset.Load(Path.Combine(dir, "x.npy"), Path.Combine(dir, "y.npy"));
        Assert.Equal(new float[] { 2, 0, 1 }, sparse.Y);
    }

    [Fact]
    public void An_npz_archive_gives_both_arrays_and_an_out_of_range_label_is_reported()
    {
        var path = Path.Combine(dir, "d.npz");
        Npz.Write(path, new Dictionary<string, NpyArray>
        {
            ["x"] = NpyArray.FromFloat32(new long[] { 2, 1 }, new float[] { 1, 2 }),
            ["y"] = Labels(0, 4),
        });
        Assert.Equal(new float[] { 1, 2 }, NumpyDataset.LoadNpz(path).X);
        var e = Assert.Throws<ModelFormatException>(() => NumpyDataset.LoadNpz(path, classes: 3));
        Assert.Contains("label 1 is 4; expected a class index in [0, 3)", e.Message, StringComparison.Ordinal);
    }
}
