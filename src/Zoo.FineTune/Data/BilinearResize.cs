namespace Zoo.FineTune.Data;

/// <summary>
/// TensorFlow's <c>tf.image.resize(method="bilinear")</c> (the Keras image-loading default): half-pixel
/// centres, no antialiasing. Output pixel <c>o</c> reads the source at <c>(o + ½)·in/out − ½</c>, from its two
/// neighbours clamped to the image, weighted by the fractional part.
/// </summary>
public static class BilinearResize
{
    /// <summary>Resizes channels-last <paramref name="source"/> (<paramref name="height"/>×<paramref name="width"/>×<paramref name="channels"/>).</summary>
    public static float[] Resize(ReadOnlySpan<float> source, int height, int width, int channels, int outHeight, int outWidth)
        => Resize<float>(source, height, width, channels, outHeight, outWidth);

    /// <summary>Resizes 8-bit channels-last pixels straight to floats, without a full-size float copy of a large image.</summary>
    public static float[] Resize(ReadOnlySpan<byte> source, int height, int width, int channels, int outHeight, int outWidth)
        => Resize<byte>(source, height, width, channels, outHeight, outWidth);

    private static float[] Resize<T>(ReadOnlySpan<T> source, int height, int width, int channels, int outHeight, int outWidth)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        if (source.Length != (long)height * width * channels)
            throw new ArgumentException($"expected {height}×{width}×{channels} values, found {source.Length}", nameof(source));
        var result = new float[(long)outHeight * outWidth * channels];
        if (outHeight == height && outWidth == width)
        {
            for (int i = 0; i < result.Length; i++) result[i] = float.CreateTruncating(source[i]);
            return result;
        }
        var rows = Weights(height, outHeight);
        var cols = Weights(width, outWidth);
        for (int y = 0; y < outHeight; y++)
        {
            var (y0, y1, fy) = rows[y];
            for (int x = 0; x < outWidth; x++)
            {
                var (x0, x1, fx) = cols[x];
                int a = (y0 * width + x0) * channels, b = (y0 * width + x1) * channels;
                int c = (y1 * width + x0) * channels, d = (y1 * width + x1) * channels;
                int o = (y * outWidth + x) * channels;
                for (int k = 0; k < channels; k++)
                {
                    float va = float.CreateTruncating(source[a + k]), vb = float.CreateTruncating(source[b + k]);
                    float vc = float.CreateTruncating(source[c + k]), vd = float.CreateTruncating(source[d + k]);
                    float top = va + (vb - va) * fx;
                    float bottom = vc + (vd - vc) * fx;
                    result[o + k] = top + (bottom - top) * fy;
                }
            }
        }
        return result;
    }

    /// <summary>Per output index: the lower and upper source index and the weight of the upper one.</summary>
    internal static (int Lo, int Hi, float Frac)[] Weights(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        var w = new (int, int, float)[outSize];
        for (int o = 0; o < outSize; o++)
        {
            double at = (o + 0.5) * scale - 0.5;
            double floor = Math.Floor(at);
            int lo = (int)Math.Max(floor, 0), hi = (int)Math.Min(Math.Ceiling(at), inSize - 1);
            w[o] = (Math.Min(lo, inSize - 1), Math.Max(hi, 0), (float)(at - floor));
        }
        return w;
    }
}
