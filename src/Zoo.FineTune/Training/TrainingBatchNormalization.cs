using Zoo.Formats.Ir;
using Zoo.Formats.Layers;
using Zoo.Models.Torch;
using static TorchSharp.torch;

namespace Zoo.FineTune.Training;

/// <summary>
/// <c>BatchNormalization</c> with Keras's training behaviour. In a training step of a trainable layer it
/// normalizes with the batch's mean and biased variance and moves the statistics as Keras does
/// (moving = moving·momentum + batch·(1 − momentum)); otherwise, and always when the layer is frozen
/// (Keras's TF2 rule: a non-trainable BatchNormalization runs in inference mode), it uses the moving
/// statistics with the same arithmetic as the runtime's inference lowering. With tf.keras batch
/// renormalization (<c>renorm=True</c>) a training step follows tf.keras's non-fused path: see <see cref="RenormStep"/>.
/// </summary>
internal sealed class TrainingBatchNormalization : UnaryLayer
{
    private readonly TrainingPhase phase;
    private readonly BatchNormalizationSpec bn;

    /// <summary>Lowers the BatchNormalization layer of <paramref name="spec"/> read in <paramref name="dialect"/>.</summary>
    public TrainingBatchNormalization(CustomLayerSpec spec, KerasDialectKind dialect, TrainingPhase phase) : base(spec)
    {
        this.phase = phase;
        bn = BatchNormalizationSpec.Read(new LayerConfig(new LayerNode(spec.ClassName, spec.Name, spec.Config), dialect));
    }

    /// <summary>False when the layer (or a model holding it) is frozen: it then never leaves inference mode.</summary>
    public bool Trainable { get; set; } = true;

    /// <summary>The renorm corrections (r, d) of the last training step, after clipping; null before one ran or without renorm.</summary>
    public (float[] R, float[] D)? LastCorrections { get; private set; }

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
        if (bn.Renorm) return RenormStep(x, mean, variance, shape, gamma, beta);
        using (no_grad())
        {
            movingMean.mul_(bn.Momentum).add_(mean.detach() * (1 - bn.Momentum));
            movingVar.mul_(bn.Momentum).add_(variance.detach() * (1 - bn.Momentum));
        }
        var y = (x - mean.reshape(shape)) * (variance + bn.Epsilon).rsqrt().reshape(shape);
        if (gamma is not null) y = y * gamma.reshape(shape);
        if (beta is not null) y = y + beta.reshape(shape);
        return y;
    }

    /// <summary>
    /// One batch-renormalization training step as tf.keras computes it: σ_B = √(var_B + ε);
    /// r = σ_B / max(renorm_stddev, √ε) and d = (μ_B − renorm_mean) / max(renorm_stddev, √ε), from the
    /// statistics before this step's update, clipped by <c>renorm_clipping</c> and without gradient;
    /// y = (x − μ_B)/σ_B · (r·γ) + (d·γ + β). Then renorm_mean/renorm_stddev move toward μ_B/σ_B with
    /// renorm_momentum, moving_mean and moving_stddev with momentum, and moving_variance becomes
    /// max(moving_stddev² − ε, 0), so inference stays plain BatchNormalization on the moving statistics.
    /// </summary>
    private Tensor RenormStep(Tensor x, Tensor mean, Tensor variance, long[] shape, Tensor? gamma, Tensor? beta)
    {
        var stddev = (variance + bn.Epsilon).sqrt();
        Tensor r, d;
        using (no_grad())
        {
            var renormStd = Param("renorm_stddev")!.clamp_min(Math.Sqrt(bn.Epsilon));
            r = stddev.detach() / renormStd;
            d = (mean.detach() - Param("renorm_mean")!) / renormStd;
            if (bn.Clipping.RMin is { } rmin) r = r.clamp_min(rmin);
            if (bn.Clipping.RMax is { } rmax) r = r.clamp_max(rmax);
            if (bn.Clipping.DMax is { } dmax) d = d.clamp(-dmax, dmax);
            LastCorrections = (r.to_type(ScalarType.Float32).data<float>().ToArray(), d.to_type(ScalarType.Float32).data<float>().ToArray());
            MoveAverage(Param("renorm_mean")!, mean, bn.RenormMomentum);
            MoveAverage(Param("renorm_stddev")!, stddev, bn.RenormMomentum);
            MoveAverage(Param("moving_mean")!, mean, bn.Momentum);
            var movingStd = MoveAverage(Param("moving_stddev")!, stddev, bn.Momentum);
            Param("moving_variance")!.copy_((movingStd * movingStd - bn.Epsilon).relu());
        }
        var scale = gamma is null ? r : r * gamma;
        var offset = gamma is null ? d : d * gamma;
        if (beta is not null) offset = offset + beta;
        var normalized = (x - mean.reshape(shape)) / stddev.reshape(shape);
        return normalized * scale.reshape(shape) + offset.reshape(shape);
    }

    private static Tensor MoveAverage(Tensor variable, Tensor value, double momentum)
        => variable.mul_(momentum).add_(value.detach() * (1 - momentum));
}
