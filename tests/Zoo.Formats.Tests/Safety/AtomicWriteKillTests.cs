using Zoo.Formats.Tests.Support;

namespace Zoo.Formats.Tests.Safety;

/// <summary>
/// Kills a child process that is saving a large model with every Keras writer (full HDF5, weights HDF5, .keras, Keras 3
/// .weights.h5, JSON, YAML) at random moments, 48 times in all (<see cref="AtomicWriteKill"/>), and checks the target is
/// always exactly the old complete file or the new complete file. The ONNX writer's kill test is in Zoo.Onnx.Tests.
/// </summary>
public sealed class AtomicWriteKillTests : IDisposable
{
    private readonly TempDir dir = new();

    [Theory]
    [InlineData("h5", "model.h5")]
    [InlineData("weights-h5", "weights.h5")]
    [InlineData("keras", "model.keras")]
    [InlineData("keras3-weights", "model.weights.h5")]
    [InlineData("json", "model.json")]
    [InlineData("yaml", "model.yaml")]
    public void A_writer_killed_at_any_moment_leaves_the_old_file_or_the_new_one_never_a_partial_file(string format, string fileName)
        => new AtomicWriteKill(dir.Path, typeof(AtomicWriterChild).Assembly, AtomicWriterChild.Save).Run(format, fileName);

    public void Dispose() => dir.Dispose();
}
