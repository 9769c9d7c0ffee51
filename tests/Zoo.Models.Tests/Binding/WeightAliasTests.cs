using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Zoo.Formats.Ir;
using Zoo.Models.Binding;
using Zoo.Models.Graph;
using Zoo.Models.Tests.Support;
using static TorchSharp.torch;

namespace Zoo.Models.Tests.Binding;

/// <summary>
/// An inference model lets large Dense kernels use the graph's bytes instead of a copy: same answers as the
/// copying path, the memory really shared, pins released on Dispose, and small weights still copied.
/// </summary>
public class WeightAliasTests
{
    // 640 × 512 float32 = 1.25 MB: over the aliasing threshold; the bias (2 KB) is under it.
    private static ModelGraph WideMlp() => G.Sequential(
        G.Input("in", null, 640),
        G.Layer("Dense", "wide", "{\"units\": 512, \"activation\": \"relu\"}", G.W("wide", "kernel", [640, 512], 1), G.W("wide", "bias", [512], 2)),
        G.Layer("Dense", "out", "{\"units\": 3}", G.W("out", "kernel", [512, 3], 3), G.W("out", "bias", [3], 4)));

    private static Tensor Param(KerasModel m, string layer, int index)
        => m.Executor.LoweredLayers().Single(l => l.Path == layer).Layer.TrainableTensors[index];

    private static bool SharesMemory(Tensor t, byte[] data)
        => Unsafe.AreSame(ref MemoryMarshal.GetReference(t.bytes), ref MemoryMarshal.GetArrayDataReference(data));

    [Fact]
    public void A_large_dense_kernel_uses_the_graph_bytes_and_a_small_weight_is_copied()
    {
        Assert.True(WeightAlias.Available, "TorchSharp's tensor-over-memory constructor was not found");
        var g = WideMlp();
        using var m = KerasModel.FromGraph(g);
        Assert.True(SharesMemory(Param(m, "wide", 0), g.GetLayer("wide").Weights[0].Data));
        Assert.False(SharesMemory(Param(m, "wide", 1), g.GetLayer("wide").Weights[1].Data));
        Assert.False(SharesMemory(Param(m, "out", 0), g.GetLayer("out").Weights[0].Data));
    }

    [Fact]
    public void Aliased_and_copied_kernels_predict_bit_identical_answers()
    {
        var x = G.Rand(4 * 640, 9);
        var g = WideMlp();
        using var aliased = KerasModel.FromGraph(g);
        var copied = new GraphExecutor(g.DeepClone(), g.Metadata.Dialect);
        try
        {
            using var input = tensor(x, [4, 640]);
            using var a = aliased.Predict(input);
            using var b = copied.Run([input])[0];
            Assert.Equal(b.data<float>().ToArray(), a.data<float>().ToArray());
        }
        finally { copied.Dispose(); }
    }

    [Fact]
    public void Disposing_the_model_unpins_the_graph_bytes()
    {
        var g = WideMlp();
        var kernel = g.GetLayer("wide").Weights[0].Data;
        var m = KerasModel.FromGraph(g);
        Assert.True(WeightAlias.IsPinned(kernel));
        m.Dispose();
        Assert.False(WeightAlias.IsPinned(kernel));
    }

    [Fact]
    public void Only_float32_weights_of_a_megabyte_or_more_are_aliased()
    {
        Assert.Null(WeightAlias.TryCreate(new WeightTensor("k:0", [600, 512], DType.Float64, new byte[600 * 512 * 8])));
        Assert.Null(WeightAlias.TryCreate(new WeightTensor("k:0", [16, 16], DType.Float32, new byte[16 * 16 * 4])));
        using var t = WeightAlias.TryCreate(new WeightTensor("k:0", [600, 512], DType.Float32, new byte[600 * 512 * 4]));
        Assert.NotNull(t);
        Assert.Equal(new long[] { 600, 512 }, t!.shape);
    }

    [Fact]
    public void A_nested_model_s_dense_kernel_is_aliased_and_released_with_its_parent()
    {
        var inner = WideMlp();
        inner.Name = "inner";
        var nestedLayer = new LayerNode("Sequential", "inner") { Nested = inner };
        nestedLayer.Calls(new TensorRef("x"));
        var g = new ModelGraph { Name = "outer" };
        g.Layers.Add(G.Input("x", null, 640));
        g.Layers.Add(nestedLayer);
        g.Inputs.Add(new TensorRef("x"));
        g.Outputs.Add(new TensorRef("inner", 1)); // Keras numbers a nested model's saved calls from node 1
        var m = KerasModel.FromGraph(g);
        Assert.True(SharesMemory(m.Executor.LoweredLayers().Single(l => l.Path == "inner/wide").Layer.TrainableTensors[0], inner.GetLayer("wide").Weights[0].Data));
        Assert.True(WeightAlias.IsPinned(inner.GetLayer("wide").Weights[0].Data));
        m.Dispose();
        Assert.False(WeightAlias.IsPinned(inner.GetLayer("wide").Weights[0].Data));
    }

    [Fact]
    public void Exporting_an_aliased_model_gives_the_stored_bytes()
    {
        var g = WideMlp();
        using var m = KerasModel.FromGraph(g);
        var exported = m.ExportGraph();
        var stored = g.GetLayer("wide").Weights[0].Data;
        var written = exported.GetLayer("wide").Weights[0].Data;
        Assert.Equal(stored, written);
    }

    [Fact]
    public void A_model_bound_by_its_first_predict_keeps_the_aliased_kernel_past_that_call_s_dispose_scope()
    {
        // No declared input shape: binding happens inside the first Predict, under its dispose scope.
        var g = G.Sequential(
            G.Layer("Dense", "wide", "{\"units\": 512}", G.W("wide", "kernel", [640, 512], 1), G.W("wide", "bias", [512], 2)));
        using var m = KerasModel.FromGraph(g);
        Assert.Empty(m.Binding.Matched);
        var x = G.Rand(2 * 640, 5);
        var first = m.Predict(x, [2, 640]);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var second = m.Predict(x, [2, 640]);
        Assert.Equal(first, second);
        Assert.True(SharesMemory(Param(m, "wide", 0), g.GetLayer("wide").Weights[0].Data));
    }
}
