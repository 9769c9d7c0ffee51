using Zoo.FineTune.Tests.Fuzzing.Image;
using Zoo.Formats.Tests.Fuzzing;
using Zoo.Onnx.Tests.Fuzzing;

/// <summary>Every target of this harness: the Keras readers' registry, the ONNX reader, the ONNX Runtime path and the image loader.</summary>
internal static class Targets
{
    public static IEnumerable<FuzzFormat> All(SeedLibrary seeds)
        => FuzzFormats.All(seeds).Append(OnnxFuzzFormat.Create(seeds)).Append(OrtFormat.Create(seeds)).Append(ImageFuzzFormat.Create());
}
