using System.Text.Json.Nodes;
using Onnx;
using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Formats.Tests.Support;
using Zoo.Onnx.Export;
using Zoo.Onnx.Lowerings;
using Zoo.Onnx.Triton;
using Zoo.Onnx.Validation;

namespace Zoo.Onnx.Tests.Export;

public class OnnxExportTests
{
    private static LayerNode Layer(string cls, string name, string cfg, params WeightTensor[] w)
    {
        var c = (JsonObject)JsonNode.Parse(cfg)!;
        c["name"] = name;
        var n = new LayerNode(cls, name, c);
        n.Weights.AddRange(w);
        return n;
    }

    private static WeightTensor W(string layer, string name, params long[] shape)
        => WeightTensor.FromFloat32($"{layer}/{name}:0", shape, Enumerable.Range(0, (int)WeightTensor.ElementCount(shape)).Select(i => (i % 7) * 0.1f + 0.05f).ToArray());

    private static ModelGraph ConvNet()
    {
        var g = new ModelGraph { ClassName = "Sequential", Name = "convnet" };
        g.Layers.Add(Layer("InputLayer", "image", "{\"batch_input_shape\": [null, 8, 8, 3]}"));
        g.Layers.Add(Layer("Conv2D", "conv", "{\"filters\": 4, \"kernel_size\": [3,3], \"strides\": [2,2], \"padding\": \"same\"}", W("conv", "kernel", 3, 3, 3, 4), W("conv", "bias", 4)));
        g.Layers.Add(Layer("BatchNormalization", "bn", "{\"axis\": -1}", W("bn", "gamma", 4), W("bn", "beta", 4), W("bn", "moving_mean", 4), W("bn", "moving_variance", 4)));
        g.Layers.Add(Layer("Dropout", "drop", "{\"rate\": 0.5}"));
        g.Layers.Add(Layer("Flatten", "flat", "{}"));
        g.Layers.Add(Layer("Dense", "out", "{\"units\": 8, \"activation\": \"softmax\"}", W("out", "kernel", 64, 8), W("out", "bias", 8)));
        return g;
    }

    [Fact]
    public void Exported_model_imports_opset_17_and_breaks_no_checker_rule()
    {
        var m = OnnxExporter.Export(ConvNet());
        Assert.Empty(OnnxChecker.Problems(m));
        Assert.Contains(m.OpsetImport, o => o.Domain == "" && o.Version == 17);
        Assert.Equal(8, m.IrVersion);
    }

    [Fact]
    public void Nodes_and_initializers_carry_the_Keras_layer_names()
    {
        var g = OnnxExporter.Export(ConvNet()).Graph;
        Assert.Contains(g.Initializer, t => t.Name == "conv/kernel");
        Assert.Contains(g.Initializer, t => t.Name == "out/bias");
        Assert.Contains(g.Node, n => n.Name == "conv/Conv");
        Assert.Contains(g.Node, n => n.Name.StartsWith("bn/", StringComparison.Ordinal));
        Assert.Equal("image", g.Input.Single().Name);
        Assert.Equal("out", g.Output.Single().Name);
    }

    [Fact]
    public void Inputs_keep_Keras_NHWC_with_a_symbolic_batch_dimension()
    {
        var input = OnnxExporter.Export(ConvNet()).Graph.Input.Single();
        var dims = input.Type.TensorType.Shape.Dim;
        Assert.Equal(OnnxExporter.BatchDim, dims[0].DimParam);
        Assert.Equal(new long[] { 8, 8, 3 }, dims.Skip(1).Select(d => d.DimValue));
    }

    [Fact]
    public void Channels_first_option_declares_NCHW_inputs()
    {
        var dims = OnnxExporter.Export(ConvNet(), new OnnxExportOptions { ChannelsFirstIO = true }).Graph.Input.Single().Type.TensorType.Shape.Dim;
        Assert.Equal(new long[] { 3, 8, 8 }, dims.Skip(1).Select(d => d.DimValue));
    }

    [Fact]
    public void Stride_2_same_padding_is_written_as_explicit_TF_pads_with_the_extra_cell_at_the_end()
    {
        var conv = OnnxExporter.Export(ConvNet()).Graph.Node.Single(n => n.OpType == "Conv");
        // 8 wide, kernel 3, stride 2: TF pads 1 in total, 0 before and 1 after.
        Assert.Equal(new long[] { 0, 0, 1, 1 }, conv.Attribute.Single(a => a.Name == "pads").Ints);
        Assert.DoesNotContain(conv.Attribute, a => a.Name == "auto_pad");
    }

    [Fact]
    public void Dropout_is_dropped_by_default_and_kept_as_Identity_when_asked()
    {
        Assert.DoesNotContain(OnnxExporter.Export(ConvNet()).Graph.Node, n => n.Name.StartsWith("drop/", StringComparison.Ordinal));
        Assert.Contains(OnnxExporter.Export(ConvNet(), new OnnxExportOptions { DropIdentities = false }).Graph.Node, n => n.Name == "drop/Identity");
    }

    [Fact]
    public void Folding_BatchNormalization_removes_its_nodes_and_rewrites_the_conv_bias()
    {
        var plain = OnnxExporter.Export(ConvNet()).Graph;
        var folded = OnnxExporter.Export(ConvNet(), new OnnxExportOptions { FoldBatchNorm = true }).Graph;
        Assert.Contains(plain.Node, n => n.Name.StartsWith("bn/", StringComparison.Ordinal));
        Assert.DoesNotContain(folded.Node, n => n.Name.StartsWith("bn/", StringComparison.Ordinal));
        Assert.NotEqual(plain.Initializer.Single(t => t.Name == "conv/bias").RawData, folded.Initializer.Single(t => t.Name == "conv/bias").RawData);
    }

    [Fact]
    public void A_layer_without_an_ONNX_lowering_is_named_in_an_UnsupportedFeatureException()
    {
        var g = new ModelGraph { ClassName = "Sequential", Name = "att" };
        g.Layers.Add(Layer("InputLayer", "in", "{\"batch_input_shape\": [null, 4]}"));
        g.Layers.Add(Layer("Lambda", "mystery", "{}"));
        var e = Assert.Throws<UnsupportedFeatureException>(() => OnnxExporter.Export(g));
        Assert.Contains("'mystery'", e.Message);
    }

    [Fact]
    public void A_kernel_of_the_wrong_shape_is_a_WeightMismatchException_naming_layer_and_weight()
    {
        var g = ConvNet();
        g.GetLayer("out").Weights[0] = W("out", "kernel", 63, 8);
        var e = Assert.Throws<WeightMismatchException>(() => OnnxExporter.Export(g));
        Assert.Contains("out", e.Message);
        Assert.Contains("kernel", e.Message);
    }

    [Fact]
    public void Checker_reports_a_node_that_reads_a_value_defined_only_later()
    {
        var m = OnnxExporter.Export(ConvNet());
        var first = m.Graph.Node[0];
        m.Graph.Node.RemoveAt(0);
        m.Graph.Node.Add(first);
        Assert.Contains(OnnxChecker.Problems(m), p => p.Contains("not defined before it"));
        Assert.Throws<ModelFormatException>(() => OnnxChecker.Check(m));
    }

    [Fact]
    public void Checker_reports_duplicate_outputs_and_a_missing_opset()
    {
        var m = OnnxExporter.Export(ConvNet());
        m.Graph.Node[1].Output[0] = m.Graph.Node[0].Output[0];
        m.OpsetImport.Clear();
        var problems = OnnxChecker.Problems(m);
        Assert.Contains(problems, p => p.Contains("produced twice"));
        Assert.Contains(problems, p => p.Contains("opset"));
    }

    [Fact]
    public void Large_models_keep_their_weights_in_an_external_data_file_the_model_points_into()
    {
        using var dir = new TempDir();
        var path = dir.File("big.onnx");
        OnnxExporter.Save(ConvNet(), path, new OnnxExportOptions { ExternalDataThreshold = 0 });
        Assert.True(File.Exists(path + ".data"));
        var m = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var kernel = m.Graph.Initializer.Single(t => t.Name == "out/kernel");
        Assert.Equal(TensorProto.Types.DataLocation.External, kernel.DataLocation);
        var entries = kernel.ExternalData.ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal("big.onnx.data", entries["location"]);
        var bytes = File.ReadAllBytes(path + ".data").AsSpan(int.Parse(entries["offset"]), int.Parse(entries["length"])).ToArray();
        var original = OnnxExporter.Export(ConvNet()).Graph.Initializer.Single(t => t.Name == "out/kernel").RawData.ToByteArray();
        Assert.Equal(original, bytes);
    }

    [Fact]
    public void Triton_config_lists_inputs_and_outputs_without_the_batch_and_turns_on_dynamic_batching()
    {
        var m = OnnxExporter.Export(ConvNet());
        var text = TritonModelRepository.Config(m, "convnet", 16);
        Assert.Contains("platform: \"onnxruntime_onnx\"", text);
        Assert.Contains("max_batch_size: 16", text);
        Assert.Contains("name: \"image\"", text);
        Assert.Contains("dims: [ 8, 8, 3 ]", text);
        Assert.Contains("name: \"out\"", text);
        Assert.Contains("dims: [ 8 ]", text);
        Assert.Contains("dynamic_batching { }", text);
        var unbatched = TritonModelRepository.Config(m, "convnet", 0);
        Assert.Contains("dims: [ -1, 8, 8, 3 ]", unbatched);
        Assert.DoesNotContain("dynamic_batching", unbatched);
    }

    [Fact]
    public void Triton_repository_has_config_and_version_1_model()
    {
        using var dir = new TempDir();
        var folder = TritonModelRepository.Write(OnnxExporter.Export(ConvNet()), dir.Path, "convnet", 8);
        Assert.True(File.Exists(Path.Combine(folder, "config.pbtxt")));
        Assert.True(File.Exists(Path.Combine(folder, "1", "model.onnx")));
        Assert.Throws<UnsupportedFeatureException>(() => TritonModelRepository.Write(OnnxExporter.Export(ConvNet()), dir.Path, "../escape", 8));
    }

    [Fact]
    public void Every_layer_spec_has_an_ONNX_lowering_but_the_listed_ones()
    {
        // InputLayer becomes a graph input; Masking is refused because ONNX has no mask to carry to the recurrent layers.
        var missing = LayerSpecs.ClassNames.Where(c => !OnnxLowerings.IsSupported(c)).OrderBy(c => c, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "InputLayer", "Masking" }, missing);
    }
}
