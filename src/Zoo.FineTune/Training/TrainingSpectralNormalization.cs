using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.FineTune.Training;

/// <summary>
/// <c>SpectralNormalization</c> (Keras 3 and TFA) with its training behaviour: every training call first runs
/// the power iteration and assigns u and kernel ← kernel/σ to the variables (as Keras does whenever
/// <c>training</c> is true, frozen or not), then runs the wrapped layer on that kernel, so gradients reach the
/// normalized kernel and not σ. Inference runs the wrapped layer on the stored kernel.
/// </summary>
internal sealed class TrainingSpectralNormalization : UnaryLayer
{
    private readonly TrainingPhase phase;
    private readonly SpectralNormalizationSpec sn;

    /// <summary>Lowers the wrapper of <paramref name="spec"/> read in <paramref name="dialect"/>.</summary>
    public TrainingSpectralNormalization(CustomLayerSpec spec, KerasDialectKind dialect, TrainingPhase phase) : base(spec)
    {
        this.phase = phase;
        sn = SpectralNormalizationSpec.Read(new LayerConfig(new LayerNode(spec.ClassName, spec.Name, spec.Config), dialect));
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<WeightSpec> ExpectedWeights(IReadOnlyList<long[]> inputShapes) => sn.Weights(inputShapes);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        var kernel = Param("kernel")!;
        if (phase.Training) SpectralNormalizationLowering.NormalizeInPlace(sn, kernel, Param("vector_u")!);
        return KernelCall.Run(sn.Inner, x, kernel, Param("bias"));
    }
}
