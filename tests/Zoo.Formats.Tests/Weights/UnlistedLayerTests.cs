using System.Text.Json.Nodes;
using Zoo.Formats.Config;
using Zoo.Formats.Ir;
using Zoo.Formats.Weights;

namespace Zoo.Formats.Tests.Weights;

public class UnlistedLayerTests
{
    private const string Arch = """
    {"class_name": "Sequential", "config": {"name": "s", "layers": [
      {"class_name": "Conv2D", "config": {"name": "conv", "filters": 2, "kernel_size": [3, 3], "padding": "valid", "use_bias": true, "batch_input_shape": [null, 8, 8, 1]}},
      {"class_name": "GlobalAveragePooling2D", "config": {"name": "gap"}},
      {"class_name": "Dense", "config": {"name": "head", "units": 3, "use_bias": true}}]}}
    """;

    private static ModelGraph Weights(bool withHead)
    {
        var w = new ModelGraph { HasArchitecture = false, Name = "w" };
        var conv = new LayerNode("", "conv");
        conv.Weights.Add(WeightTensor.FromFloat32("conv/kernel:0", [3, 3, 1, 2], new float[18]));
        conv.Weights.Add(WeightTensor.FromFloat32("conv/bias:0", [2], new float[2]));
        w.Layers.Add(conv);
        if (withHead)
        {
            var head = new LayerNode("", "head");
            head.Weights.Add(WeightTensor.FromFloat32("head/kernel:0", [2, 3], new float[6]));
            head.Weights.Add(WeightTensor.FromFloat32("head/bias:0", [3], new float[3]));
            w.Layers.Add(head);
        }
        return w;
    }

    [Fact]
    public void A_weightless_layer_the_weights_file_does_not_list_is_fine()
    {
        var arch = ModelConfigCodec.Parse(KerasJson.Parse(Arch), null, "2.15.0");
        WeightAttacher.Attach(arch, Weights(withHead: true), WeightBinding.ByName, "w.h5");
        Assert.Equal(2 * 9 + 2 + 6 + 3, arch.ParameterCount());
    }

    [Fact]
    public void A_layer_that_should_own_weights_but_is_not_listed_fails_naming_it()
    {
        var arch = ModelConfigCodec.Parse(KerasJson.Parse(Arch), null, "2.15.0");
        var e = Assert.Throws<WeightMismatchException>(() => WeightAttacher.Attach(arch, Weights(withHead: false), WeightBinding.ByName, "w.h5"));
        Assert.Equal("head", e.Layer);
    }
}
