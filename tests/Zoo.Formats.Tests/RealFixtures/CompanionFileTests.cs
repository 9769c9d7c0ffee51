using System.Globalization;
using Zoo.Formats.Hdf5;
using Zoo.Formats.IO;
using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.RealFixtures;

/// <summary>
/// The fixtures that are not models (test inputs and expected outputs, tfjs weight shards) read too,
/// each with the reader that fits it, and are told apart from models by the front door.
/// </summary>
public class CompanionFileTests
{
    public static IEnumerable<object[]> Companions() => Fixtures.OfKinds("companion-io", "tfjs-shard");

    [SkippableTheory]
    [MemberData(nameof(Companions))]
    public void Every_companion_file_reads_with_its_reader_and_is_not_mistaken_for_a_model(string localPath)
    {
        var path = Fixtures.Path(localPath);
        switch (Path.GetExtension(path))
        {
            case ".npy":
                var a = Npy.Read(path);
                Assert.True(a.Shape.Length >= 1 && a.Shape[0] == 5, $"{localPath}: shape [{string.Join(",", a.Shape)}]");
                break;
            case ".dat":
                var values = File.ReadAllText(path).Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)
                    .Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToList();
                Assert.NotEmpty(values);
                break;
            case ".h5":
                var root = H5TreeReader.Read(path);
                Assert.NotNull(root["inputs"]);
                var e = Assert.Throws<ModelFormatException>(() => KerasFile.Load(path));
                Assert.Contains("expected a Keras HDF5 file", e.Message);
                break;
            case ".bin":
                // A tfjs shard is raw float32 weights: it belongs to its model.json, which reads it.
                Assert.Equal(0, new FileInfo(path).Length % 4);
                var model = KerasFile.Load(Path.Combine(Path.GetDirectoryName(path)!, "model.json"));
                Assert.Equal(new FileInfo(path).Length / 4, model.ParameterCount());
                Assert.Throws<ModelFormatException>(() => KerasFile.Load(path));
                break;
            default:
                Assert.Fail($"no reader chosen for {localPath}");
                break;
        }
    }
}
