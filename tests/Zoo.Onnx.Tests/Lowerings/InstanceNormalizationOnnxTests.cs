using Zoo.Models.Tests.Support;
using Zoo.Onnx.Export;

namespace Zoo.Onnx.Tests.Lowerings;

/// <summary>TensorFlow Addons' InstanceNormalization reads as a GroupNormalization with one group per channel and exports as one.</summary>
public class InstanceNormalizationOnnxTests
{
    [Fact]
    public void Instance_normalization_exports_to_onnx_and_reads_back_its_tfa_config()
    {
        var layer = G.Layer("Addons>InstanceNormalization", "inorm", "{\"axis\": -1, \"batch_input_shape\": [null, 3, 4]}", G.W("inorm", "gamma", [4], 1), G.W("inorm", "beta", [4], 2));
        var spec = (Zoo.Formats.Layers.GroupNormalizationSpec)Zoo.Formats.Layers.LayerSpecs.Read(layer);
        Assert.Equal(-1, spec.Groups);
        Assert.Equal(4, spec.GroupsFor([1, 3, 4]));
        var model = OnnxExporter.Export(G.Sequential(layer));
        Assert.Contains(model.Graph.Node, node => node.OpType == "ReduceMean");
    }
}
