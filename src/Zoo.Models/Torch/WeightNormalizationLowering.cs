using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// TensorFlow Addons' <c>WeightNormalization</c>: every call computes kernel = g · v/‖v‖ (TF's l2_normalize:
/// v·rsqrt(max(Σv², 1e-12)) over all kernel axes but the last) and runs the wrapped Dense/convolution with it,
/// so gradients reach g and v. A layer whose <c>initialized</c> flag is still false initializes itself on its
/// first call, training or not, as TFA does: with <c>data_init</c>, from the batch through the frozen clone
/// (no activation): g ← g/√(var + 1e-10) and bias ← −mean/√(var + 1e-10) per unit; without it, g ← ‖v‖.
/// Zoo builds each layer with a probe pass of ones before real data arrives; that pass is not TFA's first
/// call, so initialization waits for the next one. Weights stay in Keras layout.
/// </summary>
public sealed class WeightNormalizationLowering(WeightNormalizationSpec spec) : UnaryLayer(spec)
{
    private readonly WeightNormalizationSpec s = spec;
    private bool buildCall;

    /// <inheritdoc/>
    protected override void OnBuilt(IReadOnlyList<long[]> inputShapes) => buildCall = true;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        bool probe = buildCall;
        buildCall = false;
        if (!probe && Param("initialized") is { } flag && flag.item<float>() == 0) Initialize(x, flag);
        return KernelCall.Run(s.Inner, x, Kernel(Param("g")!, Param("kernel")!), Param("bias"));
    }

    /// <summary>g · v/‖v‖ with the norm per output unit (the last axis) in Keras layout.</summary>
    public static Tensor Kernel(Tensor g, Tensor v)
    {
        var axes = Enumerable.Range(0, (int)v.dim() - 1).Select(a => (long)a).ToArray();
        return v * v.square().sum(axes, keepdim: true).clamp_min(1e-12).rsqrt() * g;
    }

    private void Initialize(Tensor x, Tensor flag)
    {
        using var _ = no_grad();
        var g = Param("g")!;
        if (s.DataInit)
        {
            var (cloneKernel, cloneBias) = CloneWeights();
            var y = KernelCall.Run(s.Inner, x, cloneKernel, cloneBias, withActivation: false);
            var axes = Enumerable.Range(0, (int)y.dim() - 1).Select(a => (long)a).ToArray();
            var mean = y.mean(axes);
            var scaleInit = ((y - mean).square().mean(axes) + 1e-10).rsqrt();
            g.mul_(scaleInit);
            Param("bias")?.copy_(-mean * scaleInit);
        }
        else
        {
            var v = Param("kernel")!;
            g.copy_(v.reshape(-1, v.shape[^1]).square().sum(new long[] { 0 }).sqrt());
        }
        flag.fill_(1);
    }

    private (Tensor Kernel, Tensor? Bias) CloneWeights()
    {
        Tensor? kernel = null, bias = null;
        for (int i = 0; i < Expected.Count; i++)
        {
            if (Expected[i].Scope != WeightNormalizationSpec.CloneScope) continue;
            if (Expected[i].Name == "kernel") kernel = Parameters[i];
            else if (Expected[i].Name == "bias") bias = Parameters[i];
        }
        return (kernel!, bias);
    }
}
