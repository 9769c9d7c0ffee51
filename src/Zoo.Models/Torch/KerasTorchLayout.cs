using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// Weight layout conversions between Keras and torch, each with its inverse (a property test checks
/// Keras → torch → Keras is the identity).
/// </summary>
public static class KerasTorchLayout
{
    /// <summary>Conv kernel (k₁…k_r, in, out) → (out, in, k₁…k_r).</summary>
    public static Tensor ConvToTorch(Tensor kernel)
    {
        int r = (int)kernel.dim() - 2;
        var perm = new long[] { r + 1, r }.Concat(Enumerable.Range(0, r).Select(i => (long)i)).ToArray();
        return kernel.permute(perm);
    }

    /// <summary>Conv kernel (out, in, k₁…k_r) → (k₁…k_r, in, out).</summary>
    public static Tensor ConvToKeras(Tensor weight)
    {
        int r = (int)weight.dim() - 2;
        var perm = Enumerable.Range(2, r).Select(i => (long)i).Concat(new long[] { 1, 0 }).ToArray();
        return weight.permute(perm);
    }

    /// <summary>Dense kernel (in, out) → (out, in).</summary>
    public static Tensor DenseToTorch(Tensor kernel) => kernel.t();

    /// <summary>Dense weight (out, in) → (in, out).</summary>
    public static Tensor DenseToKeras(Tensor weight) => weight.t();

    /// <summary>
    /// Depthwise kernel (k₁…k_r, in, mult) → (in·mult, 1, k₁…k_r): output channel c·mult + m is input
    /// channel c's m-th filter, which is torch's grouped-conv order with groups = in.
    /// </summary>
    public static Tensor DepthwiseToTorch(Tensor kernel)
    {
        int r = (int)kernel.dim() - 2;
        long inCh = kernel.shape[r], mult = kernel.shape[r + 1];
        var perm = new long[] { r, r + 1 }.Concat(Enumerable.Range(0, r).Select(i => (long)i)).ToArray();
        var spatial = kernel.shape.Take(r);
        return kernel.permute(perm).reshape(new[] { inCh * mult, 1L }.Concat(spatial).ToArray());
    }

    /// <summary>Depthwise weight (in·mult, 1, k₁…k_r) → (k₁…k_r, in, mult); <paramref name="inChannels"/> splits in·mult.</summary>
    public static Tensor DepthwiseToKeras(Tensor weight, long inChannels)
    {
        int r = (int)weight.dim() - 2;
        long mult = weight.shape[0] / inChannels;
        var spatial = weight.shape.Skip(2).ToArray();
        var split = weight.reshape(new[] { inChannels, mult }.Concat(spatial).ToArray());
        var perm = Enumerable.Range(2, r).Select(i => (long)i).Concat(new long[] { 0, 1 }).ToArray();
        return split.permute(perm);
    }
}
