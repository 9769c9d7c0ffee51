namespace Zoo.FineTune.Data;

/// <summary>
/// Flips, shifts and rotates images (see <see cref="AugmentOptions"/>). Each sample's transform is one inverse
/// affine map sampled bilinearly with reflected borders, so it works on preprocessed pixels too: every
/// preprocessing mode is affine per channel, and bilinear weights sum to one, so augmenting before or after
/// preprocessing gives the same values.
/// </summary>
public sealed class ImageAugmenter(AugmentOptions options) : IBatchAugmenter
{
    /// <summary>The options.</summary>
    public AugmentOptions Options { get; } = options;

    /// <inheritdoc/>
    public void Apply(int epoch, ReadOnlySpan<long> indices, Span<float> batch, ReadOnlySpan<long> sampleShape)
    {
        if (sampleShape.Length != 3)
            throw new ArgumentException($"image augmentation needs samples of shape [height, width, channels], found [{string.Join(",", sampleShape.ToArray())}]", nameof(sampleShape));
        int h = (int)sampleShape[0], w = (int)sampleShape[1], c = (int)sampleShape[2];
        int size = h * w * c;
        if (batch.Length != indices.Length * size)
            throw new ArgumentException($"batch has {batch.Length} values, expected {indices.Length} samples of {size}", nameof(batch));
        var scratch = new float[size];
        for (int k = 0; k < indices.Length; k++)
        {
            var t = Draw(epoch, indices[k], h, w);
            if (t.IsIdentity) continue;
            var sample = batch.Slice(k * size, size);
            sample.CopyTo(scratch);
            Warp(scratch, sample, h, w, c, t);
        }
    }

    /// <summary>One sample's transform: flip, shift in pixels (dy, dx), angle in radians.</summary>
    internal readonly record struct Transform(bool Flip, double Dy, double Dx, double Angle)
    {
        public bool IsIdentity => !Flip && Dy == 0 && Dx == 0 && Angle == 0;
    }

    /// <summary>The transform of sample <paramref name="index"/> at <paramref name="epoch"/>: a pure function of seed, epoch and index.</summary>
    internal Transform Draw(int epoch, long index, int h, int w)
    {
        ulong state = Mix((ulong)(uint)Options.Seed ^ Mix((ulong)(uint)epoch ^ Mix((ulong)index)));
        double Next() => (Mix(state++) >> 11) * (1.0 / (1UL << 53));
        bool flip = Options.HorizontalFlip && Next() < 0.5;
        double dy = Options.Shift > 0 ? (2 * Next() - 1) * Options.Shift * h : 0;
        double dx = Options.Shift > 0 ? (2 * Next() - 1) * Options.Shift * w : 0;
        double angle = Options.RotationDegrees > 0 ? (2 * Next() - 1) * Options.RotationDegrees * Math.PI / 180 : 0;
        return new Transform(flip, dy, dx, angle);
    }

    /// <summary>SplitMix64's finaliser: a well-spread 64-bit hash of <paramref name="z"/>.</summary>
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// Output pixel centre p reads the source at R(−θ)·(p − centre − shift) + centre, then mirrored when flipped;
    /// coordinates outside are reflected about the image edge ("d c b a | a b c d | d c b a").
    /// </summary>
    private static void Warp(float[] src, Span<float> dst, int h, int w, int c, Transform t)
    {
        double cy = (h - 1) / 2.0, cx = (w - 1) / 2.0;
        double cos = Math.Cos(t.Angle), sin = Math.Sin(t.Angle);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double oy = y - cy - t.Dy, ox = x - cx - t.Dx;
                double sy = cos * oy + sin * ox + cy;
                double sx = -sin * oy + cos * ox + cx;
                if (t.Flip) sx = w - 1 - sx;
                Sample(src, dst.Slice((y * w + x) * c, c), h, w, c, sy, sx);
            }
    }

    private static void Sample(float[] src, Span<float> into, int h, int w, int c, double sy, double sx)
    {
        double fy = Math.Floor(sy), fx = Math.Floor(sx);
        float wy = (float)(sy - fy), wx = (float)(sx - fx);
        int y0 = Reflect((long)fy, h), y1 = Reflect((long)fy + 1, h), x0 = Reflect((long)fx, w), x1 = Reflect((long)fx + 1, w);
        for (int k = 0; k < c; k++)
        {
            float a = src[(y0 * w + x0) * c + k], b = src[(y0 * w + x1) * c + k];
            float d = src[(y1 * w + x0) * c + k], e = src[(y1 * w + x1) * c + k];
            float top = a + (b - a) * wx, bottom = d + (e - d) * wx;
            into[k] = top + (bottom - top) * wy;
        }
    }

    /// <summary>Index <paramref name="i"/> reflected into [0, <paramref name="n"/>) with the edge pixel repeated (period 2n).</summary>
    internal static int Reflect(long i, int n)
    {
        long period = 2L * n;
        long m = ((i % period) + period) % period;
        return (int)(m < n ? m : period - 1 - m);
    }
}
