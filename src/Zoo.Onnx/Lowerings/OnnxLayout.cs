using Zoo.Formats.Layers;
using Zoo.Formats.Summary;

namespace Zoo.Onnx.Lowerings;

/// <summary>Layout arithmetic: Keras→ONNX weight permutations, channels-last↔first perms, TF "same" padding as explicit pads.</summary>
internal static class OnnxLayout
{
    /// <summary>Permutes a dense row-major array of <paramref name="shape"/> by <paramref name="perm"/> (numpy's transpose).</summary>
    public static float[] Transpose(float[] data, long[] shape, int[] perm, out long[] newShape)
    {
        int r = shape.Length;
        newShape = perm.Select(p => shape[p]).ToArray();
        var inStrides = new long[r];
        long s = 1;
        for (int i = r - 1; i >= 0; i--) { inStrides[i] = s; s *= shape[i]; }
        var result = new float[data.Length];
        var idx = new long[r];
        for (long o = 0; o < data.LongLength; o++)
        {
            long src = 0;
            for (int i = 0; i < r; i++) src += idx[i] * inStrides[perm[i]];
            result[o] = data[src];
            for (int i = r - 1; i >= 0; i--)
            {
                if (++idx[i] < newShape[i]) break;
                idx[i] = 0;
            }
        }
        return result;
    }

    /// <summary>Keras kernel <c>[k…, in, out]</c> → ONNX <c>[out, in, k…]</c>.</summary>
    public static float[] KernelToOnnx(float[] data, long[] shape, out long[] dims)
    {
        int r = shape.Length;
        var perm = new[] { r - 1, r - 2 }.Concat(Enumerable.Range(0, r - 2)).ToArray();
        return Transpose(data, shape, perm, out dims);
    }

    /// <summary>The perm taking a channels-last tensor of rank <paramref name="rank"/> to channels-first.</summary>
    public static int[] ToChannelsFirst(int rank) => new[] { 0, rank - 1 }.Concat(Enumerable.Range(1, rank - 2)).ToArray();

    /// <summary>The perm taking a channels-first tensor of rank <paramref name="rank"/> to channels-last.</summary>
    public static int[] ToChannelsLast(int rank) => new[] { 0 }.Concat(Enumerable.Range(2, rank - 2)).Append(1).ToArray();

    /// <summary>
    /// ONNX <c>pads</c> (all begins, then all ends) for Keras padding over spatial sizes <paramref name="spatial"/>
    /// (null where unknown). TF's "same" puts the odd cell at the end; null means the sizes are needed but unknown
    /// (the caller then uses <c>auto_pad=SAME_UPPER</c>, which is the same rule evaluated at run time).
    /// </summary>
    public static long[]? Pads(Padding padding, IReadOnlyList<long?> spatial, int[] kernel, int[] strides, int[] dilation)
    {
        int n = kernel.Length;
        var begin = new long[n];
        var end = new long[n];
        for (int i = 0; i < n; i++)
        {
            long span = (long)(kernel[i] - 1) * dilation[i] + 1;
            switch (padding)
            {
                case Padding.Valid: break;
                case Padding.Causal: begin[i] = span - 1; break;
                case Padding.Same when strides[i] == 1:
                    begin[i] = (span - 1) / 2;
                    end[i] = span - 1 - begin[i];
                    break;
                case Padding.Same:
                    if (spatial[i] is not long size) return null;
                    long outSize = (size + strides[i] - 1) / strides[i];
                    long total = Math.Max((outSize - 1) * strides[i] + span - size, 0);
                    begin[i] = total / 2;
                    end[i] = total - begin[i];
                    break;
            }
        }
        return begin.Concat(end).ToArray();
    }

    /// <summary>The spatial sizes of a Keras tensor shape in <paramref name="format"/>.</summary>
    public static IReadOnlyList<long?> Spatial(TensorShape? shape, int rank, DataFormat format)
    {
        if (shape is null) return Enumerable.Repeat<long?>(null, rank).ToArray();
        return format == DataFormat.ChannelsLast ? shape.Dims.Skip(1).Take(rank).ToArray() : shape.Dims.Skip(2).Take(rank).ToArray();
    }
}
