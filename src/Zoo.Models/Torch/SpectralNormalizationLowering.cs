using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// Keras 3 / TFA <c>SpectralNormalization</c> at inference: the wrapped layer on the stored kernel (training
/// divides the kernel by σ in place before the call; see <see cref="NormalizeInPlace"/>). Weights stay in Keras layout.
/// </summary>
public sealed class SpectralNormalizationLowering(SpectralNormalizationSpec spec) : UnaryLayer(spec)
{
    private readonly SpectralNormalizationSpec s = spec;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => KernelCall.Run(s.Inner, x, Param("kernel")!, Param("bias"));

    /// <inheritdoc/>
    public override bool TrainingDiffers => true;

    /// <inheritdoc/>
    /// <remarks>
    /// Every training call first runs the power iteration and assigns u and kernel ← kernel/σ (as Keras does whenever
    /// <c>training</c> is true, frozen or not), then runs the wrapped layer on that kernel, so gradients reach the
    /// normalized kernel and not σ.
    /// </remarks>
    protected override Tensor ForwardTraining(Tensor x, CallContext context)
    {
        NormalizeInPlace(s, Param("kernel")!, Param("vector_u")!);
        return Forward(x);
    }

    /// <summary>
    /// Power iteration on <paramref name="kernel"/> viewed as W (−1, units) from u (1, units):
    /// v = normalize(u·Wᵀ), u = normalize(v·W), <paramref name="iterations"/> times; σ = v·W·uᵀ. Returns the
    /// new u and σ (without gradient). normalize(a) = a·rsqrt(max(Σa², <paramref name="squaredNormFloor"/>)).
    /// </summary>
    public static (Tensor U, Tensor Sigma) PowerIteration(Tensor kernel, Tensor u, int iterations, double squaredNormFloor)
    {
        using var _ = no_grad();
        var w = kernel.detach().reshape(-1, kernel.shape[^1]);
        Tensor v = u;
        for (int i = 0; i < iterations; i++)
        {
            v = Normalize(u.matmul(w.t()), squaredNormFloor);
            u = Normalize(v.matmul(w), squaredNormFloor);
        }
        return (u, v.matmul(w).matmul(u.t()));
    }

    /// <summary>
    /// What a training call does before running the layer: unless the kernel is all zeros (Keras 3 skips it
    /// then), u ← the power-iteration u and kernel ← kernel/σ, both in place.
    /// </summary>
    public static void NormalizeInPlace(SpectralNormalizationSpec spec, Tensor kernel, Tensor u)
    {
        using var _ = no_grad();
        if (!spec.IsAddons && kernel.eq(0).all().item<bool>()) return;
        var (newU, sigma) = PowerIteration(kernel, u, spec.PowerIterations, spec.SquaredNormFloor);
        kernel.div_(sigma.reshape(Array.Empty<long>()));
        u.copy_(newU);
    }

    private static Tensor Normalize(Tensor a, double floor) => a * a.square().sum().clamp_min(floor).rsqrt();
}
