using Zoo.FineTune.Fitting;

namespace Zoo.FineTune.Tests.Support;

/// <summary>Seeded synthetic datasets; nothing is downloaded.</summary>
internal static class SyntheticData
{
    /// <summary>
    /// 16×16×1 "bar" images: class 0 a horizontal bar, class 1 a vertical bar, at a random position, with
    /// Gaussian-ish noise; one-hot targets (or class indices when <paramref name="sparse"/>).
    /// </summary>
    public static ArrayDataset Bars(int n, int seed, bool sparse = false)
    {
        var rng = new Random(seed);
        var x = new float[n * 16 * 16];
        var y = new float[sparse ? n : n * 2];
        for (int i = 0; i < n; i++)
        {
            int cls = i % 2, at = rng.Next(2, 14);
            for (int p = 0; p < 256; p++)
            {
                int r = p / 16, c = p % 16;
                bool on = cls == 0 ? Math.Abs(r - at) <= 1 : Math.Abs(c - at) <= 1;
                x[i * 256 + p] = (on ? 1f : 0f) + (float)(rng.NextDouble() - 0.5) * 0.4f;
            }
            if (sparse) y[i] = cls; else y[i * 2 + cls] = 1;
        }
        return new ArrayDataset(x, new long[] { n, 16, 16, 1 }, y, sparse ? new long[] { n } : new long[] { n, 2 });
    }

    /// <summary>Two Gaussian blobs in 2-D around (−1, −1) and (1, 1); one-hot targets.</summary>
    public static ArrayDataset Blobs(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n * 2];
        var y = new float[n * 2];
        for (int i = 0; i < n; i++)
        {
            int cls = i % 2;
            for (int d = 0; d < 2; d++)
            {
                double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                x[i * 2 + d] = (float)((cls == 0 ? -1 : 1) + 0.5 * g);
            }
            y[i * 2 + cls] = 1;
        }
        return new ArrayDataset(x, new long[] { n, 2 }, y, new long[] { n, 2 });
    }
}
