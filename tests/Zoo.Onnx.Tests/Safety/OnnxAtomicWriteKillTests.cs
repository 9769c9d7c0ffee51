using Zoo.Formats.Ir;
using Zoo.Formats.Tests.Safety;
using Zoo.Formats.Tests.Support;
using Zoo.Onnx.Export;

namespace Zoo.Onnx.Tests.Safety;

/// <summary>
/// The ONNX writer under the same kill test as the Keras writers (<see cref="AtomicWriteKill"/>): a child process
/// exporting a large model is killed at random moments, 8 times, and the target is always the old complete file or the new one.
/// </summary>
public sealed class OnnxAtomicWriteKillTests : IDisposable
{
    private readonly TempDir dir = new();

    /// <summary>The child's save (and the test's own): an ONNX export.</summary>
    internal static void Save(string format, ModelGraph graph, string target) => OnnxExporter.Save(graph, target);

    [Fact]
    public void An_onnx_export_killed_at_any_moment_leaves_the_old_file_or_the_new_one_never_a_partial_file()
        => new AtomicWriteKill(dir.Path, typeof(OnnxAtomicWriteKillTests).Assembly, Save).Run("onnx", "model.onnx");

    public void Dispose() => dir.Dispose();
}
