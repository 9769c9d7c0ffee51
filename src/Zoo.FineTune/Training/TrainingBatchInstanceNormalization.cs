using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.FineTune.Training;

/// <summary>
/// <c>Zoo&gt;BatchInstanceNormalization</c> with its training behaviour: in a training call ρ is clipped to [0, 1]
/// (the clip after the previous optimizer update), the BN part uses the batch statistics and the moving statistics
/// move with the momentum; otherwise it runs as the runtime's lowering.
/// </summary>
internal sealed class TrainingBatchInstanceNormalization : UnaryLayer
{
    private readonly TrainingPhase phase;
    private readonly BatchInstanceNormalizationSpec bin;

    /// <summary>Lowers the layer of <paramref name="spec"/> read in <paramref name="dialect"/>.</summary>
    public TrainingBatchInstanceNormalization(CustomLayerSpec spec, KerasDialectKind dialect, TrainingPhase phase) : base(spec)
    {
        this.phase = phase;
        bin = BatchInstanceNormalizationSpec.Read(new LayerConfig(new LayerNode(spec.ClassName, spec.Name, spec.Config), dialect));
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<WeightSpec> ExpectedWeights(IReadOnlyList<long[]> inputShapes) => bin.Weights(inputShapes);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
        => BatchInstanceNormalizationLowering.Apply(bin, x, Param("gamma"), Param("beta"), Param("rho")!,
            Param("moving_mean")!, Param("moving_variance")!, phase.Training);
}
