using System.Text.Json.Nodes;
using Zoo.Formats.Hdf5;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.Hdf5;

public class H5TreeFixtureTests
{
    public static IEnumerable<object[]> HdfFixtures() => Fixtures.OfKinds("h5-full", "h5-weights", "keras3-weights");

    [SkippableTheory]
    [MemberData(nameof(HdfFixtures))]
    public void Every_real_hdf5_fixture_rewritten_by_Zoo_looks_identical_to_h5py(string fixture)
    {
        var source = Fixtures.Path(fixture);
        H5Py.Require();
        using var dir = new TempDir();
        var target = dir.File("rewritten.h5");
        H5TreeWriter.Write(H5TreeReader.Read(source), target);
        Assert.Equal(H5Py.Dump(source).ToJsonString(), H5Py.Dump(target).ToJsonString());
    }

    [SkippableTheory]
    [MemberData(nameof(HdfFixtures))]
    public void Writing_a_real_fixture_twice_gives_the_same_bytes(string fixture)
    {
        var tree = H5TreeReader.Read(Fixtures.Path(fixture));
        var first = H5TreeWriter.ToBytes(tree);
        var again = H5TreeWriter.ToBytes(H5TreeReader.Read(new MemoryStream(first), "first"));
        Assert.Equal(first, again);
    }

    [SkippableFact]
    public void Unbuilt_layer_weight_names_read_as_an_empty_float64_array()
    {
        var tree = H5TreeReader.Read(Fixtures.Path("keras-net/model.h5"));
        var group = (H5TreeGroup)tree["model_weights"]!;
        var layer = (H5TreeGroup)group["dense"]!;
        var names = Assert.IsType<H5NumericAttribute>(layer.Attributes["weight_names"]);
        Assert.Equal(Ir.DType.Float64, names.DType);
        Assert.Equal(new long[] { 0 }, names.Shape);
    }

    [SkippableFact]
    public void Fixed_and_variable_length_name_lists_keep_their_kind()
    {
        var old = (H5TreeGroup)H5TreeReader.Read(Fixtures.Path("dl4j-test-resources/cnn_batch_norm.h5"))["model_weights"]!;
        var fixedNames = Assert.IsType<H5StringAttribute>(old.Attributes["layer_names"]);
        Assert.Equal(H5StringKind.Fixed, fixedNames.Kind);
        Assert.Equal(H5CharSet.Ascii, fixedNames.CharSet);
        Assert.Equal(21, fixedNames.FixedSize);

        var tree215 = H5TreeReader.Read(Fixtures.Path("aakash-churn/model.h5"));
        var version = Assert.IsType<H5StringAttribute>(tree215.Attributes["keras_version"]);
        Assert.Equal((H5StringKind.Variable, H5CharSet.Utf8, true), (version.Kind, version.CharSet, version.IsScalar));
        var names = Assert.IsType<H5StringAttribute>(((H5TreeGroup)tree215["model_weights"]!).Attributes["layer_names"]);
        Assert.Equal((H5StringKind.Variable, H5CharSet.Ascii, false), (names.Kind, names.CharSet, names.IsScalar));
    }
}

/// <summary>A temporary folder deleted at dispose.</summary>
public sealed class TempDir : IDisposable
{
    /// <summary>The folder.</summary>
    public string Path { get; } = Directory.CreateTempSubdirectory("zoo-h5-").FullName;

    /// <summary>A file path inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <inheritdoc/>
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
