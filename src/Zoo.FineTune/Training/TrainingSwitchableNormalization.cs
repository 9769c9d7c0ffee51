using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.FineTune.Training;

/// <summary>
/// <c>Zoo&gt;SwitchableNormalization</c> with its training behaviour: a training call mixes in the batch statistics
/// and moves the moving statistics with the momentum; gradients reach γ, β and both importance-weight vectors.
/// </summary>
internal sealed class TrainingSwitchableNormalization : UnaryLayer
{
    private readonly TrainingPhase phase;
    private readonly SwitchableNormalizationSpec sn;

    /// <summary>Lowers the layer of <paramref name="spec"/> read in <paramref name="dialect"/>.</summary>
    public TrainingSwitchableNormalization(CustomLayerSpec spec, KerasDialectKind dialect, TrainingPhase phase) : base(spec)
    {
        this.phase = phase;
        sn = SwitchableNormalizationSpec.Read(new LayerConfig(new LayerNode(spec.ClassName, spec.Name, spec.Config), dialect));
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<WeightSpec> ExpectedWeights(IReadOnlyList<long[]> inputShapes) => sn.Weights(inputShapes);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
        => SwitchableNormalizationLowering.Apply(sn, x, Param("gamma"), Param("beta"), Param("mean_weights")!, Param("variance_weights")!,
            Param("moving_mean")!, Param("moving_variance")!, phase.Training);
}
