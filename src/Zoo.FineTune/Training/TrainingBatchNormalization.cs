using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.FineTune.Training;

/// <summary>
/// <c>BatchNormalization</c> with Keras's training behaviour. In a training step of a trainable layer it
/// normalizes with the batch's mean and biased variance and moves the statistics as Keras 3 does
/// (moving = moving·momentum + batch·(1 − momentum)); otherwise, and always when the layer is frozen
/// (Keras's TF2 rule: a non-trainable BatchNormalization runs in inference mode), it uses the moving
/// statistics with the same arithmetic as the runtime's inference lowering.
/// </summary>
internal sealed class TrainingBatchNormalization : UnaryLayer
{
    private readonly TrainingPhase phase;
    private readonly BatchNormalizationSpec bn;
    private readonly double momentum;

    /// <summary>Lowers the BatchNormalization layer of <paramref name="spec"/> read in <paramref name="dialect"/>.</summary>
    public TrainingBatchNormalization(CustomLayerSpec spec, KerasDialectKind dialect, TrainingPhase phase) : base(spec)
    {
        this.phase = phase;
        bn = BatchNormalizationSpec.Read(new LayerConfig(new LayerNode(spec.ClassName, spec.Name, spec.Config), dialect));
        momentum = spec.Config["momentum"] switch
        {
            null => 0.99,
            System.Text.Json.Nodes.JsonValue v when v.TryGetValue(out double m) && m is >= 0 and <= 1 => m,
            var other => throw new Zoo.Formats.ModelFormatException($"layer '{spec.Name}' (BatchNormalization): momentum must be a number in [0, 1], found {other.ToJsonString()}", null, $"layers/{spec.Name}"),
        };
    }

    /// <summary>False when the layer (or a model holding it) is frozen: it then never leaves inference mode.</summary>
    public bool Trainable { get; set; } = true;

    /// <inheritdoc/>
    protected override IReadOnlyList<WeightSpec> ExpectedWeights(IReadOnlyList<long[]> inputShapes) => bn.Weights(inputShapes);

    /// <inheritdoc/>
    /// <remarks>Either layout, as the runtime's BatchNormalization, so a trained model and the runtime take the same layout path.</remarks>
    public override LayoutAffinity Affinity => LayoutAffinity.Either;

    /// <inheritdoc/>
    public override Tensor ForwardChannelsFirst(Tensor cf)
        => Layouts.ToChannelsFirst(Forward(Layouts.FromChannelsFirst(cf, DataFormat.ChannelsLast)), DataFormat.ChannelsLast);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        int axis = AxisList.Normalize(bn.Axis, (int)x.dim());
        var shape = Enumerable.Repeat(1L, (int)x.dim()).ToArray();
        shape[axis] = x.shape[axis];
        var gamma = Param("gamma");
        var beta = Param("beta");
        var movingMean = Param("moving_mean")!;
        var movingVar = Param("moving_variance")!;
        if (!(phase.Training && Trainable))
        {
            var inv = (movingVar + bn.Epsilon).rsqrt();
            if (gamma is not null) inv = inv * gamma;
            var shift = beta is not null ? beta - movingMean * inv : -movingMean * inv;
            return x * inv.reshape(shape) + shift.reshape(shape);
        }
        var dims = Enumerable.Range(0, (int)x.dim()).Where(d => d != axis).Select(d => (long)d).ToArray();
        var mean = x.mean(dims);
        var variance = (x - mean.reshape(shape)).square().mean(dims);
        using (no_grad())
        {
            movingMean.mul_(momentum).add_(mean.detach() * (1 - momentum));
            movingVar.mul_(momentum).add_(variance.detach() * (1 - momentum));
        }
        var y = (x - mean.reshape(shape)) * (variance + bn.Epsilon).rsqrt().reshape(shape);
        if (gamma is not null) y = y * gamma.reshape(shape);
        if (beta is not null) y = y + beta.reshape(shape);
        return y;
    }
}
