using Zoo.Formats;
using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Models.Tests.Support;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.Models.Tests.Graph;

public class CustomLayerTests
{
    /// <summary>A user's layer: y = x · factor, with one weight and a config value.</summary>
    private sealed class ScaleLayer(CustomLayerSpec spec) : UnaryLayer(spec)
    {
        private readonly double offset = spec.Config["offset"]!.GetValue<double>();

        protected override IReadOnlyList<WeightSpec> ExpectedWeights(IReadOnlyList<long[]> inputShapes)
            => new[] { new WeightSpec("factor", new[] { inputShapes[0][^1] }) };

        public override Tensor Forward(Tensor x) => x * Parameters[0] + offset;
    }

    private sealed class DoubleIt(CustomLayerSpec spec) : UnaryLayer(spec)
    {
        public override Tensor Forward(Tensor x) => x * 2.0;
    }

    private static ModelGraph Model() => G.Sequential(
        G.Layer("ScaleLayer", "scale", "{\"offset\": 1.0, \"batch_input_shape\": [null,2]}", WeightTensor.FromFloat32("scale/factor:0", new long[] { 2 }, new float[] { 3, 4 })),
        G.Layer("Lambda", "double_it", "{\"function\": \"opaque python bytecode\"}"));

    [Fact]
    public void Registered_custom_class_and_lambda_by_name_run_with_bound_weights()
    {
        var options = new KerasModelOptions();
        options.CustomLayers["ScaleLayer"] = s => new ScaleLayer(s);
        options.LambdaLayers["double_it"] = s => new DoubleIt(s);
        using var m = KerasModel.FromGraph(Model(), options: options);
        Assert.Equal(new float[] { 8, 18 }, m.Predict(new float[] { 1, 2 }, new long[] { 1, 2 }));
        Assert.Equal("scale/factor:0", m.Binding.Matched.Single().StoredName);
    }

    [Fact]
    public void An_unregistered_lambda_is_refused_with_the_way_to_register_it()
    {
        var options = new KerasModelOptions();
        options.CustomLayers["ScaleLayer"] = s => new ScaleLayer(s);
        var ex = Assert.Throws<UnsupportedFeatureException>(() => KerasModel.FromGraph(Model(), options: options));
        Assert.Contains("LambdaLayers[\"double_it\"]", ex.Message);
    }
}
