using Zoo.Formats.Layers;
using static TorchSharp.torch;

namespace Zoo.Models.Torch;

/// <summary>Moves channels between Keras's channels-last layout and torch's channels-first, and computes TF padding.</summary>
internal static class Layouts
{
    /// <summary>(N, s₁…s_r, C) → (N, C, s₁…s_r); unchanged when the layer is already channels first.</summary>
    public static Tensor ToChannelsFirst(Tensor x, DataFormat f)
    {
        if (f == DataFormat.ChannelsFirst) return x;
        int n = (int)x.dim();
        var perm = new long[] { 0, n - 1 }.Concat(Enumerable.Range(1, n - 2).Select(i => (long)i)).ToArray();
        return x.permute(perm);
    }

    /// <summary>(N, C, s₁…s_r) → (N, s₁…s_r, C); unchanged for channels-first layers.</summary>
    public static Tensor FromChannelsFirst(Tensor x, DataFormat f)
    {
        if (f == DataFormat.ChannelsFirst) return x;
        int n = (int)x.dim();
        var perm = new long[] { 0 }.Concat(Enumerable.Range(2, n - 2).Select(i => (long)i)).Append(1L).ToArray();
        return x.permute(perm);
    }

    /// <summary>
    /// TensorFlow's "same" padding for one axis: total = max((⌈in/s⌉ − 1)·s + (k − 1)·d + 1 − in, 0), with
    /// the smaller half before and the odd cell after (bottom/right).
    /// </summary>
    public static (long Before, long After) TfSame(long size, int kernel, int stride, int dilation = 1)
    {
        long outSize = (size + stride - 1) / stride;
        long total = Math.Max((outSize - 1) * stride + (long)(kernel - 1) * dilation + 1 - size, 0);
        return (total / 2, total - total / 2);
    }

    /// <summary>
    /// Pads the spatial axes of a channels-first tensor for <paramref name="padding"/>, returning it unchanged
    /// for valid; <paramref name="value"/> fills (−∞ for max pooling).
    /// </summary>
    public static Tensor PadSpatial(Tensor x, Padding padding, int[] kernel, int[] strides, int[] dilation, double value = 0)
    {
        if (padding == Padding.Valid) return x;
        int r = kernel.Length;
        var pads = new long[2 * r];
        for (int i = 0; i < r; i++)
        {
            long size = x.shape[2 + i];
            var (b, a) = padding == Padding.Causal ? ((long)(kernel[i] - 1) * dilation[i], 0L) : TfSame(size, kernel[i], strides[i], dilation[i]);
            // torch's pad list runs from the last axis backwards.
            pads[2 * (r - 1 - i)] = b;
            pads[2 * (r - 1 - i) + 1] = a;
        }
        if (pads.All(p => p == 0)) return x;
        return TorchSharp.torch.nn.functional.pad(x, pads, TorchSharp.PaddingModes.Constant, value);
    }

    /// <summary>
    /// The per-axis padding when <paramref name="padding"/> pads every spatial axis of a channels-first
    /// tensor equally on both sides (valid; same with stride 1 and an odd dilated kernel), so the
    /// convolution can pad itself instead of copying the input; null when TF's padding is lopsided.
    /// </summary>
    public static long[]? SymmetricPads(Tensor x, Padding padding, int[] kernel, int[] strides, int[] dilation)
    {
        var pads = new long[kernel.Length];
        if (padding == Padding.Valid) return pads;
        if (padding != Padding.Same) return null;
        for (int i = 0; i < kernel.Length; i++)
        {
            var (b, a) = TfSame(x.shape[2 + i], kernel[i], strides[i], dilation[i]);
            if (b != a) return null;
            pads[i] = b;
        }
        return pads;
    }

    /// <summary>Converts a list of ints to longs.</summary>
    public static long[] L(this int[] a) => a.Select(v => (long)v).ToArray();
}
