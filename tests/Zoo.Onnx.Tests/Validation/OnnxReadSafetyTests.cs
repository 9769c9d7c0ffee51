using Google.Protobuf;
using Onnx;
using Zoo.Formats;
using Zoo.Formats.Tests.Fuzzing;
using Zoo.Formats.Tests.Support;
using Zoo.Onnx.Export;
using Zoo.Onnx.Tests.Fuzzing;
using Zoo.Onnx.Validation;

namespace Zoo.Onnx.Tests.Validation;

/// <summary>
/// What <see cref="OnnxModelFile"/> refuses before ONNX Runtime may see a file: each test breaks one thing a
/// Zoo-written model has right and expects a <see cref="ZooException"/> that says what and where.
/// </summary>
public sealed class OnnxReadSafetyTests : IDisposable
{
    private readonly TempDir dir = new();

    [Fact]
    public void Models_zoo_exports_read_back_with_inline_and_with_external_weights()
    {
        var inline = dir.File("inline.onnx");
        OnnxExporter.Save(SeedLibrary.BuiltinGraph(), inline);
        Assert.NotNull(OnnxModelFile.Read(inline).Graph);
        var external = ExternalModel();
        var m = OnnxModelFile.Read(external);
        Assert.Contains(m.Graph.Initializer, t => t.ExternalData.Count > 0);
    }

    [Theory]
    [InlineData("../outside.bin")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/../../outside.bin")]
    [InlineData("C:\\outside.bin")]
    public void External_data_outside_the_model_folder_is_refused_as_unsafe(string location)
    {
        var path = Rewrite(ExternalModel(), m => Big(m).ExternalData.Single(e => e.Key == "location").Value = location);
        var e = Assert.Throws<UnsafeModelException>(() => OnnxModelFile.Read(path));
        Assert.Contains($"found location '{location}'", e.Message);
    }

    [Fact]
    public void External_data_reached_through_a_symlink_that_leaves_the_folder_is_refused()
    {
        var path = ExternalModel();
        var outside = Path.Combine(Path.GetTempPath(), $"zoo-outside-{Guid.NewGuid():N}.bin");
        File.Copy(path + ".data", outside);
        try
        {
            File.Delete(path + ".data");
            File.CreateSymbolicLink(path + ".data", outside);
            var e = Assert.Throws<UnsafeModelException>(() => OnnxModelFile.Read(path));
            Assert.Contains("in the model's folder", e.Message);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Theory]
    [InlineData("offset", "99999999")]
    [InlineData("length", "4")]
    public void External_data_ranges_that_leave_the_data_file_or_disagree_with_the_dims_are_refused(string key, string value)
    {
        var path = Rewrite(ExternalModel(), m =>
        {
            var t = Big(m);
            var entry = t.ExternalData.FirstOrDefault(e => e.Key == key);
            if (entry is null) t.ExternalData.Add(new StringStringEntryProto { Key = key, Value = value });
            else entry.Value = value;
        });
        var e = Assert.Throws<UnsafeModelException>(() => OnnxModelFile.Read(path));
        Assert.Contains("external data", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_initializer_whose_dims_declare_more_than_its_bytes_is_refused_before_onnx_runtime_allocates_it()
    {
        var path = Rewrite(Inline(), m => m.Graph.Initializer[0].Dims[0] = 1L << 40);
        var e = Assert.Throws<UnsafeModelException>(() => OnnxModelFile.Read(path));
        Assert.Contains("to store", e.Message);
        Assert.Contains("graph/initializer/", e.ObjectPath);
    }

    [Fact]
    public void A_negative_dimension_is_a_format_error_naming_the_tensor()
    {
        var path = Rewrite(Inline(), m => m.Graph.Initializer[0].Dims[0] = -3);
        var e = Assert.Throws<ModelFormatException>(() => OnnxModelFile.Read(path));
        Assert.Contains("dims of 0 or more", e.Message);
    }

    [Fact]
    public void An_attribute_that_says_tensor_but_holds_none_is_a_format_error()
    {
        var path = Rewrite(Inline(), m => m.Graph.Node[0].Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor }));
        var e = Assert.Throws<ModelFormatException>(() => OnnxModelFile.Read(path));
        Assert.Contains("attribute 'value' of type Tensor", e.Message);
    }

    [Theory]
    [InlineData(20, typeof(UnsafeModelException))]    // deeper than OnnxModelFile.MaxGraphDepth
    [InlineData(400, typeof(ModelFormatException))]   // deeper than protobuf's recursion limit: refused while parsing
    public void Subgraphs_nested_too_deep_are_refused_without_overflowing_the_stack(int depth, Type expected)
    {
        var path = Rewrite(Inline(), m =>
        {
            var inner = new GraphProto { Name = "body" };
            for (int i = 0; i < depth; i++)
                inner = new GraphProto { Name = $"g{i}", Node = { new NodeProto { OpType = "If", Name = $"if{i}", Output = { $"o{i}" }, Attribute = { new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = inner } } } } };
            m.Graph.Node.Add(inner.Node[0]);
        });
        var e = Assert.ThrowsAny<ZooException>(() => OnnxModelFile.Read(path));
        Assert.IsType(expected, e);
    }

    [Fact]
    public void Bytes_that_are_not_a_model_proto_are_a_format_error_naming_the_file()
    {
        var path = dir.File("junk.onnx");
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2, 3]);
        var e = Assert.Throws<ModelFormatException>(() => OnnxModelFile.Read(path));
        Assert.Equal(Path.GetFullPath(path), e.File);
    }

    private string Inline()
    {
        var path = dir.File("model.onnx");
        OnnxExporter.Save(SeedLibrary.BuiltinGraph(), path);
        return path;
    }

    private string ExternalModel()
    {
        var path = dir.File("model.onnx");
        OnnxExporter.Save(OnnxSeeds.WideGraph(), path, new OnnxExportOptions { ExternalDataThreshold = 1 });
        return path;
    }

    private static TensorProto Big(ModelProto m) => m.Graph.Initializer.First(t => t.ExternalData.Count > 0);

    private static string Rewrite(string path, Action<ModelProto> change)
    {
        var m = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        change(m);
        File.WriteAllBytes(path, m.ToByteArray());
        return path;
    }

    public void Dispose() => dir.Dispose();
}
