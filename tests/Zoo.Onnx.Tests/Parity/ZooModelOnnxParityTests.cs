using Zoo.Formats.Ir;
using Zoo.Models.ModelZoo;
using Zoo.Models.ModelZoo.Applications;
using Xunit.Abstractions;
using Zoo.Onnx.Export;
using Zoo.Onnx.Tests.Support;

namespace Zoo.Onnx.Tests.Parity;

/// <summary>Every zoo model (small inputs keep them quick on a CPU) on ONNX Runtime against Zoo's runtime.</summary>
public class ZooModelOnnxParityTests(ITestOutputHelper log)
{
    public static IEnumerable<object[]> Models() =>
    [
        ["lenet5", new[] { 32, 32, 1 }, true, 10],
        ["alexnet", new[] { 67, 67, 3 }, true, 10],
        ["vgg16", new[] { 32, 32, 3 }, false, 0],
        ["vgg19", new[] { 32, 32, 3 }, false, 0],
        ["resnet50", new[] { 64, 64, 3 }, true, 10],
        ["resnet50v2", new[] { 64, 64, 3 }, false, 0],
        ["inceptionv3", new[] { 75, 75, 3 }, false, 0],
    ];

    private static ModelGraph Build(string name, int[] shape, bool top, int classes)
    {
        var entry = ZooCatalog.Get(name);
        return entry.Build(new ApplicationOptions { InputShape = shape, IncludeTop = top, Classes = top ? classes : entry.DefaultClasses, Pooling = top ? Pooling.None : Pooling.Avg, Seed = 5 });
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Each_zoo_model_on_ONNX_Runtime_matches_Zoo_within_1e4_with_and_without_BN_folding(string name, int[] shape, bool top, int classes)
    {
        var graph = Build(name, shape, top, classes);
        var entry = ZooCatalog.Get(name);
        long[] dims = { 2, shape[0], shape[1], shape[2] };
        var pixels = Enumerable.Range(0, (int)(dims[0] * dims[1] * dims[2] * dims[3])).Select(i => (float)(i * 37 % 256)).ToArray();
        var x = entry.PreprocessInput(pixels);
        var zoo = OnnxParity.Zoo(graph, new[] { (x, dims) })[0];
        foreach (var fold in new[] { false, true })
        {
            var ort = OnnxParity.Ort(graph, new[] { (x, dims) }, new OnnxExportOptions { FoldBatchNorm = fold })[0];
            Assert.Equal(zoo.Shape, ort.Shape);
            var err = OnnxParity.MaxAbs(zoo.Data, ort.Data);
            float scale = Math.Max(1f, zoo.Data.Max(Math.Abs));
            log.WriteLine($"{name} (fold BN {fold}): ONNX Runtime vs Zoo max abs {err:E2}, output scale {scale:G3}");
            Assert.True(err <= 1e-4f * scale, $"{name} (fold {fold}): max abs {err} at output scale {scale}");
        }
    }
}
