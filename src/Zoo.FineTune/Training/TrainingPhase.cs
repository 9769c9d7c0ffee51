using static TorchSharp.torch;

namespace Zoo.FineTune.Training;

/// <summary>
/// The <c>training</c> argument Keras passes to every layer call, shared by one model's training-aware
/// layers, with the random generator their noise draws from (so a seeded run repeats exactly).
/// </summary>
internal sealed class TrainingPhase : IDisposable
{
    /// <summary>Creates the phase with a generator seeded by <paramref name="seed"/>.</summary>
    public TrainingPhase(long seed) => Generator = new Generator((ulong)seed);

    /// <summary>True while a training step runs (Dropout drops, trainable BatchNormalization uses batch statistics).</summary>
    public bool Training { get; set; }

    /// <summary>The generator of dropout masks.</summary>
    public Generator Generator { get; }

    /// <inheritdoc/>
    public void Dispose() => Generator.Dispose();
}
