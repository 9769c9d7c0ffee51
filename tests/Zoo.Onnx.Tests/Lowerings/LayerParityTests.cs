using Xunit.Abstractions;
using Zoo.Formats.Ir;
using Zoo.Onnx.Export;
using Zoo.Onnx.Tests.Support;

namespace Zoo.Onnx.Tests.Lowerings;

public class LayerParityTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(LayerCases.Names), MemberType = typeof(LayerCases))]
    public void Each_lowered_layer_gives_Zoo_runtime_numbers_on_ONNX_Runtime(string name)
    {
        var (g, shape) = LayerCases.All[name]();
        output.WriteLine($"{name}: max abs error {OnnxParity.AssertAgree(g, new[] { (LayerCases.Random(shape, 7), shape) })}");
    }

    [Theory]
    [MemberData(nameof(LayerCases.Activations), MemberType = typeof(LayerCases))]
    public void Each_Keras_activation_gives_Zoo_runtime_numbers_on_ONNX_Runtime(string activation)
    {
        var (g, shape) = LayerCases.Activation(activation);
        OnnxParity.AssertAgree(g, new[] { (LayerCases.Random(shape, 8), shape) });
    }

    [Fact]
    public void Hard_sigmoid_keeps_the_Keras_2_meaning_in_Keras_2_graphs_and_the_Keras_3_meaning_in_Keras_3_graphs()
    {
        var x = new float[] { -4f, -2f, -1f, 0f, 1f, 2f, 4f };
        var shape = new long[] { 1, 7 };
        float[] Run(KerasDialectKind dialect)
        {
            var g = Zoo.Models.Tests.Support.G.Sequential(Zoo.Models.Tests.Support.G.Input("in", null, 7),
                Zoo.Models.Tests.Support.G.Layer("Activation", "hs", "{\"activation\": \"hard_sigmoid\"}"));
            g.Metadata.Dialect = dialect;
            OnnxParity.AssertAgree(g, new[] { (x, shape) });
            return OnnxParity.Ort(g, new[] { (x, shape) })[0].Data;
        }
        var k2 = Run(KerasDialectKind.Keras2);
        var k3 = Run(KerasDialectKind.Keras3);
        Assert.Equal(x.Select(v => Math.Clamp(0.2f * v + 0.5f, 0f, 1f)), k2, new Tolerance(1e-6f));
        Assert.Equal(x.Select(v => Math.Clamp(v + 3f, 0f, 6f) / 6f), k3, new Tolerance(1e-6f));
    }

    [Theory]
    [InlineData("Add")]
    [InlineData("Subtract")]
    [InlineData("Multiply")]
    [InlineData("Average")]
    [InlineData("Maximum")]
    [InlineData("Minimum")]
    [InlineData("Concatenate")]
    public void Merge_layers_on_two_model_inputs_give_Zoo_runtime_numbers(string cls)
    {
        var shape = new long[] { 2, 3, 4 };
        OnnxParity.AssertAgree(LayerCases.Merge(cls), new[] { (LayerCases.Random(shape, 1), shape), (LayerCases.Random(shape, 2), shape) });
    }

    [Theory]
    [InlineData("dot")]
    [InlineData("concat")]
    public void Attention_with_learned_scale_gives_Zoo_runtime_numbers(string score)
    {
        long[] qs = { 2, 3, 4 }, vs = { 2, 5, 4 };
        OnnxParity.AssertAgree(LayerCases.Attention(score), new[] { (LayerCases.Random(qs, 1), qs), (LayerCases.Random(vs, 2), vs) });
    }

    [Theory]
    [InlineData("{\"axes\": -1}", new long[] { 2, 5 }, new long[] { 2, 5 })]
    [InlineData("{\"axes\": [2, 2]}", new long[] { 2, 3, 4 }, new long[] { 2, 5, 4 })]
    [InlineData("{\"axes\": [1, 2]}", new long[] { 2, 4, 3 }, new long[] { 2, 5, 4 })]
    [InlineData("{\"axes\": [2, 1], \"normalize\": true}", new long[] { 2, 3, 4 }, new long[] { 2, 4, 5 })]
    [InlineData("{\"axes\": 1, \"normalize\": true}", new long[] { 3, 6 }, new long[] { 3, 6 })]
    [InlineData("{\"axes\": [3, 1]}", new long[] { 2, 3, 2, 4 }, new long[] { 2, 4, 5 })]
    [InlineData("{\"axes\": [1, 3]}", new long[] { 2, 4, 3 }, new long[] { 2, 2, 3, 4 })]
    public void Dot_on_two_model_inputs_gives_Zoo_runtime_numbers(string config, long[] a, long[] b)
        => output.WriteLine($"Dot {config}: max abs error {OnnxParity.AssertAgree(LayerCases.Dot(config, a, b), new[] { (LayerCases.Random(a, 1), a), (LayerCases.Random(b, 2), b) })}");

    [Fact]
    public void Embedding_gathers_rows_for_float_encoded_ids()
    {
        var g = Zoo.Models.Tests.Support.G.Sequential(Zoo.Models.Tests.Support.G.Input("ids", null, 4),
            Zoo.Models.Tests.Support.G.Layer("Embedding", "emb", "{\"input_dim\": 10, \"output_dim\": 3}",
                Zoo.Models.Tests.Support.G.W("emb", "embeddings", new long[] { 10, 3 }, 5)));
        var ids = new float[] { 0, 3, 9, 2, 5, 5, 1, 8 };
        OnnxParity.AssertAgree(g, new[] { (ids, new long[] { 2, 4 }) }, 0f);
    }

    [Fact]
    public void Batch_dimension_is_dynamic_so_one_file_serves_batch_1_and_batch_8()
    {
        var (g, _) = LayerCases.All["Conv2D same stride 2 odd sizes"]();
        foreach (var n in new long[] { 1, 8 })
        {
            var shape = new long[] { n, 7, 6, 3 };
            OnnxParity.AssertAgree(g, new[] { (LayerCases.Random(shape, 3), shape) });
        }
    }

    [Fact]
    public void ONNX_Runtime_reads_weights_from_the_external_data_file_and_gives_the_same_numbers()
    {
        var g = Zoo.Models.Tests.Support.G.Sequential(Zoo.Models.Tests.Support.G.Input("in", null, 64),
            Zoo.Models.Tests.Support.G.Layer("Dense", "wide", "{\"units\": 32}",
                Zoo.Models.Tests.Support.G.W("wide", "kernel", new long[] { 64, 32 }, 1), Zoo.Models.Tests.Support.G.W("wide", "bias", new long[] { 32 }, 2)));
        var shape = new long[] { 3, 64 };
        var x = LayerCases.Random(shape, 5);
        var inline = OnnxParity.Ort(g, new[] { (x, shape) })[0].Data;
        var external = OnnxParity.Ort(g, new[] { (x, shape) }, new OnnxExportOptions { ExternalDataThreshold = 0 })[0].Data;
        Assert.Equal(inline, external);
    }

    [Theory]
    [InlineData(18, "GlobalMaxPooling1D keepdims")]
    [InlineData(18, "LayerNormalization over two axes")]
    [InlineData(21, "GlobalAveragePooling2D")]
    [InlineData(21, "Bidirectional GRU sum last")]
    public void Newer_opsets_give_the_same_numbers_with_axes_as_inputs(int opset, string name)
    {
        var (g, shape) = LayerCases.All[name]();
        OnnxParity.AssertAgree(g, new[] { (LayerCases.Random(shape, 9), shape) }, options: new OnnxExportOptions { Opset = opset });
    }

    [Fact]
    public void Channels_first_option_takes_NCHW_and_gives_NCHW()
    {
        var (g, shape) = LayerCases.All["Conv2D same stride 2 odd sizes"]();
        var x = LayerCases.Random(shape, 4);
        var nhwc = OnnxParity.Ort(g, new[] { (x, shape) })[0];
        var nchwIn = Transpose(x, shape, new[] { 0, 3, 1, 2 }, out var nchwShape);
        var nchw = OnnxParity.Ort(g, new[] { (nchwIn, nchwShape) }, new OnnxExportOptions { ChannelsFirstIO = true })[0];
        var back = Transpose(nchw.Data, nchw.Shape, new[] { 0, 2, 3, 1 }, out var backShape);
        Assert.Equal(nhwc.Shape, backShape);
        Assert.True(OnnxParity.MaxAbs(nhwc.Data, back) <= 1e-6f);
    }

    private static float[] Transpose(float[] x, long[] shape, int[] perm, out long[] outShape)
    {
        var os = perm.Select(p => shape[p]).ToArray();
        outShape = os;
        var strides = new long[shape.Length];
        long s = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { strides[i] = s; s *= shape[i]; }
        var y = new float[x.Length];
        var idx = new long[shape.Length];
        for (long o = 0; o < x.Length; o++)
        {
            long src = 0;
            for (int i = 0; i < perm.Length; i++) src += idx[i] * strides[perm[i]];
            y[o] = x[src];
            for (int i = perm.Length - 1; i >= 0 && ++idx[i] == os[i]; i--) idx[i] = 0;
        }
        return y;
    }

    private sealed class Tolerance(float tol) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tol;

        public int GetHashCode(float v) => 0;
    }
}
