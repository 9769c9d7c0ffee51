using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Support;
using Zoo.Models;
using Zoo.Models.Tests.Support;
using Zoo.Onnx.Export;
using Zoo.Onnx.Inference;
using static TorchSharp.torch;

namespace Zoo.Onnx.Tests.Support;

/// <summary>Exports a graph, runs it on ONNX Runtime's CPU provider and on Zoo's TorchSharp runtime.</summary>
internal static class OnnxParity
{
    public static readonly OnnxPredictorOptions Cpu = new() { Provider = OnnxProvider.Cpu };

    /// <summary>ONNX Runtime's outputs for <paramref name="g"/> on <paramref name="inputs"/>.</summary>
    public static IReadOnlyList<(float[] Data, long[] Shape)> Ort(ModelGraph g, IReadOnlyList<(float[], long[])> inputs, OnnxExportOptions? options = null)
    {
        using var dir = new TempDir();
        var path = dir.File("m.onnx");
        OnnxExporter.Save(g, path, options);
        using var p = new OnnxPredictor(path, Cpu);
        return p.Run(inputs);
    }

    /// <summary>Zoo runtime outputs for <paramref name="g"/>.</summary>
    public static IReadOnlyList<(float[] Data, long[] Shape)> Zoo(ModelGraph g, IReadOnlyList<(float[] Data, long[] Shape)> inputs)
    {
        using var m = KerasModel.FromGraph(g);
        var ys = m.Predict(inputs.Select(i => tensor(i.Data, i.Shape)).ToArray());
        try { return ys.Select(y => (y.data<float>().ToArray(), y.shape)).ToArray(); }
        finally { foreach (var y in ys) y.Dispose(); }
    }

    /// <summary>Asserts ONNX Runtime and Zoo agree on every output within <paramref name="tolerance"/>; returns the max error.</summary>
    public static float AssertAgree(ModelGraph g, IReadOnlyList<(float[], long[])> inputs, float tolerance = 1e-5f, OnnxExportOptions? options = null)
    {
        var ort = Ort(g, inputs, options);
        var zoo = Zoo(g, inputs);
        Assert.Equal(zoo.Count, ort.Count);
        float worst = 0;
        for (int i = 0; i < zoo.Count; i++)
        {
            Assert.Equal(zoo[i].Shape, ort[i].Shape);
            worst = Math.Max(worst, G.MaxAbsDiff(zoo[i].Data, ort[i].Data));
        }
        Assert.True(worst <= tolerance, $"ONNX Runtime vs Zoo: max abs error {worst} > {tolerance}");
        return worst;
    }

    /// <summary>Max abs difference, asserting equal lengths.</summary>
    public static float MaxAbs(float[] a, float[] b) => G.MaxAbsDiff(a, b);
}
