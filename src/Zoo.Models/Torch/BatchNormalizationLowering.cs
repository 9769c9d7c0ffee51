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

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        int axis = AxisList.Normalize(s.Axis, (int)x.dim());
        var shape = Enumerable.Repeat(1L, (int)x.dim()).ToArray();
        shape[axis] = x.shape[axis];
        return x * scale!.reshape(shape) + shift!.reshape(shape);
    }

    /// <inheritdoc/>
    protected override void OnLoaded()
    {
        scale?.Dispose(); shift?.Dispose();
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
        base.Dispose();
    }
}
