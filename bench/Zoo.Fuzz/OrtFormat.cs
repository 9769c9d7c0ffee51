using Zoo.Formats.Tests.Fuzzing;
using Zoo.Onnx.Tests.Fuzzing;
using Zoo.Onnx.Inference;
using Zoo.Onnx.Validation;

/// <summary>
/// The path <c>zoo-convert predict/verify</c> takes for a <c>.onnx</c> file: <see cref="OnnxPredictor"/> validates
/// it (<see cref="OnnxModelFile"/>), ONNX Runtime loads it on the CPU, and one batch of zeros runs through it.
/// Only this harness links ONNX Runtime; a native crash here ends the process, which the campaign reports.
/// </summary>
internal static class OrtFormat
{
    /// <summary>Elements per input at most (dynamic dims become 1; a declared shape larger than this is not run).</summary>
    private const long MaxInputElements = 1 << 20;

    public static FuzzFormat Create(SeedLibrary seeds)
        => new("onnx-ort", "model.onnx", Run, [], new OnnxStructuralMutator(), FuzzFormats.ParserFactor)
        { ExtraSeeds = () => OnnxSeeds.All(seeds, seeds.Scratch).ToList() };

    private static void Run(string path)
    {
        using var p = new OnnxPredictor(path, new OnnxPredictorOptions { Provider = OnnxProvider.Cpu, IntraOpThreads = 1 });
        var inputs = new List<(float[], long[])>();
        foreach (var dims in p.InputShapes)
        {
            var shape = dims.Select(d => d <= 0 ? 1L : d).ToArray();
            long n = shape.Aggregate(1L, (a, d) => a > MaxInputElements ? a : a * d);
            if (n > MaxInputElements) return;
            inputs.Add((new float[n], shape));
        }
        p.Run(inputs);
    }
}
