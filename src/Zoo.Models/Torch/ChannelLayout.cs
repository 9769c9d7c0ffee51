using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>
/// Moves a normalization's channel axis last and back, so the Zoo normalizations compute on (N, spatial…, C)
/// and name their reductions once: the spatial axes (instance statistics) and batch + spatial (batch statistics).
/// </summary>
public readonly record struct ChannelLayout(int Axis, int Rank)
{
    /// <summary>The layout of <paramref name="x"/> for <paramref name="options"/>' channel axis.</summary>
    public static ChannelLayout Of(ChannelNormOptions options, Tensor x)
        => new(AxisList.Normalize(options.Axis, (int)x.dim()), (int)x.dim());

    /// <summary><paramref name="x"/> with the channels last.</summary>
    public Tensor ToLast(Tensor x) => Axis == Rank - 1 ? x : x.movedim(new long[] { Axis }, new long[] { Rank - 1 });

    /// <summary><paramref name="y"/> (channels last) back in the input's layout.</summary>
    public Tensor FromLast(Tensor y) => Axis == Rank - 1 ? y : y.movedim(new long[] { Rank - 1 }, new long[] { Axis });

    /// <summary>The spatial axes of a channels-last tensor (empty for rank 2).</summary>
    public long[] Spatial => Enumerable.Range(1, Rank - 2).Select(i => (long)i).ToArray();

    /// <summary>The batch and spatial axes of a channels-last tensor.</summary>
    public long[] BatchAndSpatial => Enumerable.Range(0, Rank - 1).Select(i => (long)i).ToArray();

    /// <summary>Mean and biased variance of <paramref name="x"/> over <paramref name="dims"/>, kept as size-1 axes.</summary>
    public static (Tensor Mean, Tensor Variance) Moments(Tensor x, long[] dims)
    {
        var mean = x.mean(dims, true);
        return (mean, (x - mean).square().mean(dims, true));
    }

    /// <summary>y·γ + β on the last axis, each when present.</summary>
    public static Tensor Affine(Tensor y, Tensor? gamma, Tensor? beta)
    {
        if (gamma is not null) y = y * gamma;
        if (beta is not null) y = y + beta;
        return y;
    }

    /// <summary>Keras's moving-average update, in place and without gradient: moving ← moving·m + value·(1 − m).</summary>
    public static void MoveAverage(Tensor moving, Tensor value, double momentum)
    {
        using var _ = no_grad();
        moving.mul_(momentum).add_(value.detach().reshape(moving.shape) * (1 - momentum));
    }
}
