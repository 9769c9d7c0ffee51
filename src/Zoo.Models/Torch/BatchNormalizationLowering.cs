using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// <c>BatchNormalization</c> at inference, computed as TF does: inv = γ/√(var + ε); y = x·inv + (β − mean·inv),
/// with ε from the config.
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
    public override Tensor Forward(Tensor x)
    {
        int rank = (int)x.dim();
        return Normalize(x, AxisList.Normalize(s.Axis, rank), rank);
    }

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
