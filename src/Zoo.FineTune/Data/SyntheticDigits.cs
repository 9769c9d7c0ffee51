using Zoo.FineTune.Fitting;

namespace Zoo.FineTune.Data;

/// <summary>How a generated digit set differs from the plain one: the "shifted domain" a fine-tuning run adapts to.</summary>
public enum DigitDomain
{
    /// <summary>White strokes on black, upright (MNIST-like).</summary>
    Plain,
    /// <summary>Black strokes on white: every pixel v becomes 1 − v.</summary>
    Inverted,
    /// <summary>Rotated by a quarter turn clockwise.</summary>
    Rotated90,
}

/// <summary>Options for <see cref="SyntheticDigits.Generate"/>; the defaults give MNIST-like 28×28 digits.</summary>
public sealed record SyntheticDigitsOptions
{
    /// <summary>Image side in pixels (square images, one channel).</summary>
    public int Size { get; init; } = 28;

    /// <summary>The domain the digits are drawn in.</summary>
    public DigitDomain Domain { get; init; } = DigitDomain.Plain;

    /// <summary>Largest rotation either way, in degrees.</summary>
    public double MaxRotationDegrees { get; init; } = 12;

    /// <summary>Largest shift either way, in pixels.</summary>
    public double MaxShiftPixels { get; init; } = 2.5;

    /// <summary>Stroke width range in pixels (uniform).</summary>
    public (double Min, double Max) StrokeWidth { get; init; } = (1.4, 2.8);

    /// <summary>Largest standard deviation of the additive Gaussian pixel noise (each image draws its own in [0, this]).</summary>
    public double MaxNoise { get; init; } = 0.08;

    /// <summary>Targets as one-hot rows [n, 10] (for categorical cross-entropy) rather than class indices [n].</summary>
    public bool OneHot { get; init; } = true;
}

/// <summary>
/// A procedurally rendered handwritten-digit set: each sample is one of ten stroke glyphs put through a random
/// affine jitter (rotation, scale, shear, shift), drawn with a random stroke width and anti-aliased edges, plus
/// Gaussian noise. Pixels are float32 in [0, 1], NHWC [n, size, size, 1]; classes are balanced and shuffled
/// (so Keras's last-fraction validation split is balanced too). The same seed always gives the same bytes.
/// </summary>
public static class SyntheticDigits
{
    /// <summary>Number of classes (the digits 0–9).</summary>
    public const int Classes = 10;

    /// <summary>Generates <paramref name="count"/> samples deterministically from <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative count or an image smaller than 8 pixels.</exception>
    public static ArrayDataset Generate(int count, int seed, SyntheticDigitsOptions? options = null)
    {
        options ??= new SyntheticDigitsOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Size, 8);
        int size = options.Size, pixels = size * size;
        var rng = new Random(seed);
        var labels = Enumerable.Range(0, count).Select(i => i % Classes).ToArray();
        rng.Shuffle(labels);
        var x = new float[(long)count * pixels];
        var y = new float[options.OneHot ? (long)count * Classes : count];
        for (int i = 0; i < count; i++)
        {
            Render(labels[i], options, rng, x.AsSpan(i * pixels, pixels));
            if (options.OneHot) y[i * Classes + labels[i]] = 1f; else y[i] = labels[i];
        }
        long[] yShape = options.OneHot ? new long[] { count, Classes } : new long[] { count };
        return new ArrayDataset(x, new long[] { count, size, size, 1 }, y, yShape);
    }

    /// <summary>The class index of each sample of a dataset made by <see cref="Generate"/> (one-hot or sparse).</summary>
    public static int[] Labels(ArrayDataset data)
    {
        if (data.YShape.Length == 1) return data.Y.Select(v => (int)v).ToArray();
        int k = (int)data.YShape[1];
        return Enumerable.Range(0, (int)data.Count).Select(i => Array.IndexOf(data.Y, 1f, i * k, k) - i * k).ToArray();
    }

    private static void Render(int digit, SyntheticDigitsOptions o, Random rng, Span<float> image)
    {
        int size = o.Size;
        // MNIST puts the glyph in a 20×20 box centred in 28×28; keep that proportion at any size.
        double box = size * 20.0 / 28.0;
        double angle = Uniform(rng, -o.MaxRotationDegrees, o.MaxRotationDegrees) * Math.PI / 180;
        double scale = box * Uniform(rng, 0.85, 1.1), shear = Uniform(rng, -0.2, 0.2);
        double aspect = Uniform(rng, 0.85, 1.15);
        double dx = Uniform(rng, -o.MaxShiftPixels, o.MaxShiftPixels), dy = Uniform(rng, -o.MaxShiftPixels, o.MaxShiftPixels);
        double halfWidth = Uniform(rng, o.StrokeWidth.Min, o.StrokeWidth.Max) / 2;
        double noise = Uniform(rng, 0, o.MaxNoise);
        double cos = Math.Cos(angle), sin = Math.Sin(angle), centre = size / 2.0;

        var segments = new List<(double Ax, double Ay, double Bx, double By)>();
        foreach (var stroke in DigitStrokes.Glyphs[digit])
        {
            (double X, double Y)? previous = null;
            foreach (var (gx, gy) in stroke)
            {
                double ux = (gx - 0.5) * aspect + shear * (gy - 0.5), uy = gy - 0.5;
                var p = (X: centre + dx + scale * (cos * ux - sin * uy), Y: centre + dy + scale * (sin * ux + cos * uy));
                if (previous is { } q) segments.Add((q.X, q.Y, p.X, p.Y));
                previous = p;
            }
        }

        // Each pixel's distance to the nearest segment, visiting only pixels near each segment: a pixel farther
        // than the ink reach from every segment stays dark whatever its exact distance, so the image is the same
        // as measuring every pixel against every segment, many times faster.
        double reach = halfWidth + 0.5;
        var nearest = new double[size * size];
        Array.Fill(nearest, double.MaxValue);
        foreach (var s in segments)
        {
            int c0 = Math.Max(0, (int)Math.Floor(Math.Min(s.Ax, s.Bx) - reach - 1)), c1 = Math.Min(size - 1, (int)Math.Ceiling(Math.Max(s.Ax, s.Bx) + reach));
            int r0 = Math.Max(0, (int)Math.Floor(Math.Min(s.Ay, s.By) - reach - 1)), r1 = Math.Min(size - 1, (int)Math.Ceiling(Math.Max(s.Ay, s.By) + reach));
            for (int row = r0; row <= r1; row++)
                for (int col = c0; col <= c1; col++)
                    nearest[row * size + col] = Math.Min(nearest[row * size + col], SegmentDistance(col + 0.5, row + 0.5, s));
        }

        for (int row = 0; row < size; row++)
            for (int col = 0; col < size; col++)
            {
                double best = nearest[row * size + col];
                // A one-pixel linear ramp at the stroke edge anti-aliases it.
                double v = Math.Clamp(reach - best, 0, 1) + noise * Gaussian(rng);
                image[Index(row, col, size, o.Domain)] = (float)Math.Clamp(o.Domain == DigitDomain.Inverted ? 1 - v : v, 0, 1);
            }
    }

    private static int Index(int row, int col, int size, DigitDomain domain) =>
        domain == DigitDomain.Rotated90 ? col * size + (size - 1 - row) : row * size + col;

    private static double SegmentDistance(double px, double py, (double Ax, double Ay, double Bx, double By) s)
    {
        double vx = s.Bx - s.Ax, vy = s.By - s.Ay, len2 = vx * vx + vy * vy;
        double t = len2 == 0 ? 0 : Math.Clamp(((px - s.Ax) * vx + (py - s.Ay) * vy) / len2, 0, 1);
        double ex = s.Ax + t * vx - px, ey = s.Ay + t * vy - py;
        return Math.Sqrt(ex * ex + ey * ey);
    }

    private static double Uniform(Random rng, double lo, double hi) => lo + (hi - lo) * rng.NextDouble();

    /// <summary>A standard normal draw (Box–Muller), so the noise depends only on the seeded generator.</summary>
    private static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
