using System.Diagnostics;
using System.Security.Cryptography;
using Google.Protobuf;
using Zoo.Convert.Tests.Support;
using Zoo.Formats;
using Zoo.Formats.Tests.Support;

namespace Zoo.Convert.Tests.Safety;

/// <summary>
/// Inputs are never modified: <c>convert</c> refuses an OUT that is IN (by name or through a symbolic link)
/// unless told, and a write over a hard link to IN replaces the link, leaving IN's bytes as they were.
/// A hostile <c>.onnx</c> given to <c>verify</c> is refused with a typed error before ONNX Runtime opens it.
/// </summary>
public sealed class InputProtectionTests : IDisposable
{
    private readonly TempDir dir = new();

    [Fact]
    public void Convert_refuses_an_output_that_is_a_symbolic_link_to_its_input()
    {
        var input = Input();
        var link = dir.File("link.h5");
        File.CreateSymbolicLink(link, input);
        var before = Hash(input);

        var r = CliRunner.Run("convert", input, link);

        Assert.Equal(2, r.Code);
        Assert.Contains("refusing to overwrite", r.Err);
        Assert.Equal(before, Hash(input));
        Assert.NotNull(new FileInfo(link).LinkTarget);
    }

    [Fact]
    public void Convert_refuses_a_hard_link_of_its_input_which_is_the_same_file()
    {
        var input = Input();
        var hardLink = dir.File("same-inode.json");
        using (var ln = Process.Start(new ProcessStartInfo("ln", [input, hardLink]) { UseShellExecute = false })!) ln.WaitForExit();
        Assert.True(File.Exists(hardLink), "ln could not make a hard link here");
        var before = Hash(input);

        var r = CliRunner.Run("convert", input, hardLink, "--to", "json");

        Assert.Equal(2, r.Code);
        Assert.Contains("refusing to overwrite", r.Err);
        Assert.Equal(before, Hash(input));
        Assert.Equal(before, Hash(hardLink));
    }

    [Fact]
    public void Verify_refuses_an_onnx_file_whose_external_data_points_outside_its_folder_without_starting_onnx_runtime()
    {
        var model = dir.File("model.onnx");
        var r0 = CliRunner.Run("convert", Input(), model);
        Assert.True(r0.Code == 0, r0.Err);
        var proto = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(model));
        var t = proto.Graph.Initializer[0];
        t.ExternalData.Add(new global::Onnx.StringStringEntryProto { Key = "location", Value = "../../../../etc/passwd" });
        t.DataLocation = global::Onnx.TensorProto.Types.DataLocation.External;
        t.RawData = ByteString.Empty;
        t.FloatData.Clear();
        File.WriteAllBytes(model, proto.ToByteArray());
        var x = dir.File("x.npy");
        Zoo.Formats.IO.Npy.Write(x, Zoo.Formats.IO.NpyArray.FromFloat32([1, 4], new float[4]));

        var r = CliRunner.Run("verify", model, "--input", x, "--expected", x, "--provider", "cpu");

        Assert.Equal(3, r.Code);
        Assert.Contains("../../../../etc/passwd", r.Err);
        Assert.Contains("external data in the model's folder", r.Err); // Zoo's check, not ONNX Runtime's
    }

    /// <summary>A small full-model H5 written by Zoo (no fixtures needed).</summary>
    private string Input()
    {
        var path = dir.File("in.h5");
        if (File.Exists(path)) return path;
        var dense = Graphs.Layer("Dense", "dense", """{"units": 3, "activation": "relu", "use_bias": true}""");
        dense.Weights.Add(Zoo.Formats.Ir.WeightTensor.FromFloat32("dense/kernel:0", [4, 3], Enumerable.Range(0, 12).Select(i => i / 12f).ToArray()));
        dense.Weights.Add(Zoo.Formats.Ir.WeightTensor.FromFloat32("dense/bias:0", [3], [0.1f, 0.2f, 0.3f]));
        KerasFile.Save(Graphs.Sequential("[null, 4]", dense), path);
        return path;
    }

    private static string Hash(string path) => System.Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    public void Dispose() => dir.Dispose();
}
