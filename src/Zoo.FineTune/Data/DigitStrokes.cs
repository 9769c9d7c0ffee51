namespace Zoo.FineTune.Data;

/// <summary>
/// The ten digits as pen strokes in a unit box (x right, y down, the glyph within roughly
/// [0.2, 0.8] × [0.1, 0.9]). Curves are sampled into polylines once, so rendering only measures
/// distances to straight segments.
/// </summary>
internal static class DigitStrokes
{
    /// <summary>Polylines per digit, index = digit.</summary>
    public static readonly IReadOnlyList<(double X, double Y)[]>[] Glyphs = Build();

    private static IReadOnlyList<(double X, double Y)[]>[] Build() => new[]
    {
        // 0: an ellipse.
        new[] { Arc(0.5, 0.5, 0.24, 0.36, 0, 360) },
        // 1: a stem with a small flag and a foot.
        new[] { Line((0.38, 0.25), (0.52, 0.12), (0.52, 0.88)), Line((0.38, 0.88), (0.66, 0.88)) },
        // 2: an upper hook, a diagonal, a base.
        new[] { Concat(Arc(0.5, 0.32, 0.22, 0.2, 200, 380), Line((0.71, 0.38), (0.27, 0.88), (0.75, 0.88))) },
        // 3: two right-facing bowls.
        new[] { Arc(0.48, 0.3, 0.22, 0.19, 210, 450), Arc(0.48, 0.68, 0.24, 0.21, 270, 510) },
        // 4: a diagonal, a crossbar, a stem.
        new[] { Line((0.6, 0.12), (0.24, 0.62), (0.78, 0.62)), Line((0.62, 0.35), (0.62, 0.88)) },
        // 5: a top bar, a short stem, a lower bowl.
        new[] { Concat(Line((0.72, 0.12), (0.32, 0.12), (0.3, 0.46)), Arc(0.48, 0.65, 0.24, 0.23, 235, 500)) },
        // 6: a sweep down from the top into a closed lower loop.
        new[] { Concat(Arc(0.62, 0.45, 0.34, 0.36, 255, 180), Arc(0.5, 0.66, 0.22, 0.21, 180, -180)) },
        // 7: a top bar and a long diagonal.
        new[] { Line((0.25, 0.13), (0.76, 0.13), (0.42, 0.88)) },
        // 8: two stacked loops.
        new[] { Arc(0.5, 0.3, 0.19, 0.18, 0, 360), Arc(0.5, 0.69, 0.23, 0.2, 0, 360) },
        // 9: an upper loop and a stem.
        new[] { Arc(0.5, 0.33, 0.22, 0.21, 0, 360), Concat(Line((0.72, 0.35), (0.68, 0.62)), Arc(0.46, 0.62, 0.22, 0.26, 0, 100)) },
    };

    private static (double X, double Y)[] Line(params (double X, double Y)[] points) => points;

    private static (double X, double Y)[] Concat((double X, double Y)[] a, (double X, double Y)[] b) => a.Concat(b).ToArray();

    /// <summary>An elliptic arc from <paramref name="fromDeg"/> to <paramref name="toDeg"/> (0° = right, 90° = down).</summary>
    private static (double X, double Y)[] Arc(double cx, double cy, double rx, double ry, double fromDeg, double toDeg)
    {
        const int Steps = 24;
        var points = new (double X, double Y)[Steps + 1];
        for (int i = 0; i <= Steps; i++)
        {
            double a = (fromDeg + (toDeg - fromDeg) * i / Steps) * Math.PI / 180;
            points[i] = (cx + rx * Math.Cos(a), cy + ry * Math.Sin(a));
        }
        return points;
    }
}
