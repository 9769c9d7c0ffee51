using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.Formats;

/// <summary>Zoo.Formats recognises the <c>.onnx</c> name but writes no ONNX: that is the Zoo.Onnx library's, so reading Keras files needs no protobuf.</summary>
public class OnnxFileNameTests
{
    [Fact]
    public void KerasFile_Save_refuses_an_onnx_file_name_names_the_Zoo_Onnx_library_and_writes_nothing()
    {
        using var dir = new TempDir();
        var path = dir.File("m.onnx");
        Assert.Equal(KerasFormat.Onnx, KerasFile.FormatFromFileName(path));

        var e = Assert.Throws<UnsupportedFeatureException>(() => KerasFile.Save(Fuzzing.SeedLibrary.BuiltinGraph(), path));

        Assert.Contains("Zoo.Onnx", e.Message);
        Assert.Contains("m.onnx", e.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
