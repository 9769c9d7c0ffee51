using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>BatchNormalization</c>. At inference, computed as TF does: inv = γ/√(var + ε); y = x·inv + (β − mean·inv), with ε
/// from the config. In a training call of a trainable layer it normalizes with the batch's mean and biased variance
/// and moves the statistics as Keras does (moving = moving·momentum + batch·(1 − momentum)); a frozen layer (or one
/// in a frozen model) stays in inference mode even then (Keras's TF2 rule). With tf.keras batch renormalization
/// (<c>renorm=True</c>) a training step follows tf.keras's non-fused path: see <see cref="RenormStep"/>.
/// </summary>
public sealed class BatchNormalizationLowering(BatchNormalizationSpec spec) : UnaryLayer(spec)
{
    /// <inheritdoc/>
    /// <remarks>Keras marks this layer supports_masking: the mask flows on unchanged.</remarks>
    public override MaskBehavior Masking => MaskBehavior.PassesThrough;

    private readonly BatchNormalizationSpec s = spec;
    private Tensor? scale, shift;
    private Broadcast? broadcast;

    private sealed record Broadcast(int Rank, int Axis, Tensor Scale, Tensor Shift);

    /// <inheritdoc/>
    public override LayoutAffinity Affinity => LayoutAffinity.Either;

    /// <inheritdoc/>
    public override bool TrainingDiffers => true;

    /// <inheritdoc/>
    /// <remarks>Inference reads a scale and shift folded from the weights on load; training moves the weights under it.</remarks>
    public override bool CachesDerivedWeights => true;

    /// <summary>The renorm corrections (r, d) of the last training step, after clipping; null before one ran or without renorm.</summary>
    public (float[] R, float[] D)? LastCorrections { get; private set; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        int rank = (int)x.dim();
        // While a trainer differentiates (γ, β trained under training=False), the cached scale would hide them from autograd.
        if (is_grad_enabled() && Parameters.Any(p => p.requires_grad)) return Inference(x);
        return Normalize(x, AxisList.Normalize(s.Axis, rank), rank);
    }

    /// <inheritdoc/>
    protected override Tensor ForwardTraining(Tensor x, CallContext context)
    {
        if (!context.Trainable) return Inference(x);
        int axis = AxisList.Normalize(s.Axis, (int)x.dim());
        var shape = BroadcastShape(x, axis);
        var gamma = Param("gamma");
        var beta = Param("beta");
        var dims = Enumerable.Range(0, (int)x.dim()).Where(d => d != axis).Select(d => (long)d).ToArray();
        var mean = x.mean(dims);
        var variance = (x - mean.reshape(shape)).square().mean(dims);
        if (s.Renorm)
        {
            var renormed = RenormStep(x, mean, variance, shape, gamma, beta);
            using (no_grad()) OnLoaded(); // inference reads the folded moving statistics
            return renormed;
        }
        using (no_grad())
        {
            Param("moving_mean")!.mul_(s.Momentum).add_(mean.detach() * (1 - s.Momentum));
            Param("moving_variance")!.mul_(s.Momentum).add_(variance.detach() * (1 - s.Momentum));
            OnLoaded(); // inference reads the folded moving statistics
        }
        var y = (x - mean.reshape(shape)) * (variance + s.Epsilon).rsqrt().reshape(shape);
        if (gamma is not null) y = y * gamma.reshape(shape);
        if (beta is not null) y = y + beta.reshape(shape);
        return y;
    }

    // The inference formula on the weights themselves, so gradients reach γ and β.
    private Tensor Inference(Tensor x)
    {
        var shape = BroadcastShape(x, AxisList.Normalize(s.Axis, (int)x.dim()));
        var movingMean = Param("moving_mean")!;
        var inv = (Param("moving_variance")! + s.Epsilon).rsqrt();
        if (Param("gamma") is { } gamma) inv = inv * gamma;
        var shift = Param("beta") is { } beta ? beta - movingMean * inv : -movingMean * inv;
        return x * inv.reshape(shape) + shift.reshape(shape);
    }

    private static long[] BroadcastShape(Tensor x, int axis)
    {
        var shape = Enumerable.Repeat(1L, (int)x.dim()).ToArray();
        shape[axis] = x.shape[axis];
        return shape;
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
        var stddev = (variance + s.Epsilon).sqrt();
        Tensor r, d;
        using (no_grad())
        {
            var renormStd = Param("renorm_stddev")!.clamp_min(Math.Sqrt(s.Epsilon));
            r = stddev.detach() / renormStd;
            d = (mean.detach() - Param("renorm_mean")!) / renormStd;
            if (s.Clipping.RMin is { } rmin) r = r.clamp_min(rmin);
            if (s.Clipping.RMax is { } rmax) r = r.clamp_max(rmax);
            if (s.Clipping.DMax is { } dmax) d = d.clamp(-dmax, dmax);
            LastCorrections = (r.to_type(ScalarType.Float32).data<float>().ToArray(), d.to_type(ScalarType.Float32).data<float>().ToArray());
            MoveAverage(Param("renorm_mean")!, mean, s.RenormMomentum);
            MoveAverage(Param("renorm_stddev")!, stddev, s.RenormMomentum);
            MoveAverage(Param("moving_mean")!, mean, s.Momentum);
            var movingStd = MoveAverage(Param("moving_stddev")!, stddev, s.Momentum);
            Param("moving_variance")!.copy_((movingStd * movingStd - s.Epsilon).relu());
        }
        var scale = gamma is null ? r : r * gamma;
        var offset = gamma is null ? d : d * gamma;
        if (beta is not null) offset = offset + beta;
        var normalized = (x - mean.reshape(shape)) / stddev.reshape(shape);
        return normalized * scale.reshape(shape) + offset.reshape(shape);
    }

    private static Tensor MoveAverage(Tensor variable, Tensor value, double momentum)
        => variable.mul_(momentum).add_(value.detach() * (1 - momentum));

    /// <inheritdoc/>
    /// <remarks>
    /// Computed on the Keras view (a permute, no copy): a broadcasting op chooses its output's memory order from
    /// its operands' logical order, so this keeps the memory, and every later op's result, bit-identical to the
    /// Keras-layout path.
    /// </remarks>
    public override Tensor ForwardChannelsFirst(Tensor cf)
        => Layouts.ToChannelsFirst(Forward(Layouts.FromChannelsFirst(cf, DataFormat.ChannelsLast)), DataFormat.ChannelsLast);

    private Tensor Normalize(Tensor x, int axis, int rank)
    {
        // The broadcast views are cached per (rank, axis) rather than reshaped on every call. A miss swaps in a
        // new immutable entry, so concurrent predictions never see a half-made or disposed one.
        var c = broadcast;
        if (c is null || c.Rank != rank || c.Axis != axis)
        {
            var shape = Enumerable.Repeat(1L, rank).ToArray();
            shape[axis] = -1;
            broadcast = c = new Broadcast(rank, axis, Keep(scale!.reshape(shape)), Keep(shift!.reshape(shape)));
        }
        return x * c.Scale + c.Shift;
    }

    /// <inheritdoc/>
    protected override void OnLoaded()
    {
        scale?.Dispose(); shift?.Dispose();
        broadcast?.Scale.Dispose(); broadcast?.Shift.Dispose();
        broadcast = null;
        var mean = Param("moving_mean")!;
        var inv = (Param("moving_variance")! + s.Epsilon).rsqrt();
        if (Param("gamma") is { } g) inv = inv * g;
        scale = Keep(inv.detach());
        shift = Keep((Param("beta") is { } b ? b - mean * inv : -mean * inv).detach());
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        scale?.Dispose(); shift?.Dispose();
        broadcast?.Scale.Dispose(); broadcast?.Shift.Dispose();
        broadcast = null;
        base.Dispose();
    }
}
