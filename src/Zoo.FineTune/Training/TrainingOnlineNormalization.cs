using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.FineTune.Training;

/// <summary>
/// <c>Zoo&gt;OnlineNormalization</c> with its training behaviour: a training call normalizes each sample with the
/// running estimates the samples before it left and advances them sample by sample (see
/// <see cref="OnlineNormalizationLowering"/> for which backward pass is reproduced).
/// </summary>
internal sealed class TrainingOnlineNormalization : UnaryLayer
{
    private readonly TrainingPhase phase;
    private readonly OnlineNormalizationSpec on;

    /// <summary>Lowers the layer of <paramref name="spec"/> read in <paramref name="dialect"/>.</summary>
    public TrainingOnlineNormalization(CustomLayerSpec spec, KerasDialectKind dialect, TrainingPhase phase) : base(spec)
    {
        this.phase = phase;
        on = OnlineNormalizationSpec.Read(new LayerConfig(new LayerNode(spec.ClassName, spec.Name, spec.Config), dialect));
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<WeightSpec> ExpectedWeights(IReadOnlyList<long[]> inputShapes) => on.Weights(inputShapes);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
        => OnlineNormalizationLowering.Apply(on, x, Param("gamma"), Param("beta"), Param("moving_mean")!, Param("moving_variance")!, phase.Training);
}
