using Zoo.Formats.Tests.Fuzzing;
using Zoo.Onnx.Validation;

namespace Zoo.Onnx.Tests.Fuzzing;

/// <summary>
/// The <c>onnx</c> fuzz target: each case is an <c>.onnx</c> file read and validated with <see cref="OnnxModelFile.Read"/>
/// (what runs before ONNX Runtime opens a stranger's file), which must end with the model read or a <c>ZooException</c>.
/// It lives beside the library it fuzzes; the readers of Keras files are in <see cref="FuzzFormats"/>.
/// </summary>
public static class OnnxFuzzFormat
{
    /// <summary>The target, seeded with Zoo's own exports of the seed library's models.</summary>
    public static FuzzFormat Create(SeedLibrary seeds) => new("onnx", "model.onnx", p => OnnxModelFile.Read(p), [], new OnnxStructuralMutator(), FuzzFormats.ParserFactor)
    {
        ExtraSeeds = () => OnnxSeeds.All(seeds, seeds.Scratch),
    };
}
