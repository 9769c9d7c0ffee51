using Zoo.FineTune.Fitting;

namespace Zoo.FineTune.Tuning;

/// <summary>
/// Draws each trial's score as a PNG: one dot per trial in trial order (blue; failed trials red on the axis), the
/// best score so far as a green step line, and the baseline's score as a grey horizontal line. The y range is
/// the scores' range padded by 5% (0–1 fixed for accuracies). No text; colours are fixed.
/// </summary>
public static class ScorePlot
{
    /// <summary>Colour of a trial's dot.</summary>
    public static readonly (byte R, byte G, byte B) TrialColor = (31, 119, 180);

    /// <summary>Colour of the best-so-far line.</summary>
    public static readonly (byte R, byte G, byte B) BestColor = (44, 160, 44);

    /// <summary>Colour of the baseline line.</summary>
    public static readonly (byte R, byte G, byte B) BaselineColor = (127, 127, 127);

    /// <summary>Colour of a failed trial's dot.</summary>
    public static readonly (byte R, byte G, byte B) FailedColor = (214, 39, 40);

    internal const int Width = 640, Height = 320, Margin = 24;

    /// <summary>Saves the plot to <paramref name="path"/> (a temporary file, then renamed into place).</summary>
    public static void SavePng(TuningResult result, string path) => Zoo.Formats.IO.AtomicFile.Write(path, s => s.Write(Render(result)));

    /// <summary>The plot's PNG bytes.</summary>
    public static byte[] Render(TuningResult result)
    {
        var rgb = new byte[Width * Height * 3];
        Array.Fill(rgb, (byte)255);
        void Set(int x, int y, (byte R, byte G, byte B) c)
        {
            if (x < 0 || y < 0 || x >= Width || y >= Height) return;
            int at = (y * Width + x) * 3;
            (rgb[at], rgb[at + 1], rgb[at + 2]) = c;
        }
        void Line(int x0, int y0, int x1, int y1, (byte, byte, byte) c)
        {
            int steps = Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0));
            for (int s = 0; s <= steps; s++)
            {
                double t = steps == 0 ? 0 : (double)s / steps;
                Set((int)Math.Round(x0 + (x1 - x0) * t), (int)Math.Round(y0 + (y1 - y0) * t), c);
            }
        }
        Line(Margin, Margin, Margin, Height - Margin, (0, 0, 0));
        Line(Margin, Height - Margin, Width - Margin, Height - Margin, (0, 0, 0));
        var scores = result.Trials.Select(r => r.Result.Score).ToArray();
        var (lo, hi) = Range(scores.Append(result.Baseline?.Result.Score), result.Objective.Name.Contains("acc", StringComparison.Ordinal));
        int Y(double v) => Height - Margin - (int)Math.Round((v - lo) / (hi - lo) * (Height - 2 * Margin));
        int X(int i) => Margin + (int)Math.Round((scores.Length <= 1 ? 0.5 : (double)i / (scores.Length - 1)) * (Width - 2 * Margin));
        if (result.Baseline?.Result.Score is { } b) Line(Margin, Y(b), Width - Margin, Y(b), BaselineColor);
        double? best = null;
        int? lastX = null, lastY = null;
        for (int i = 0; i < scores.Length; i++)
        {
            if (scores[i] is { } s && (best is null || result.Objective.Better(s, best.Value))) best = s;
            if (best is { } bv)
            {
                if (lastX is { } lx) { Line(lx, lastY!.Value, X(i), lastY.Value, BestColor); Line(X(i), lastY.Value, X(i), Y(bv), BestColor); }
                (lastX, lastY) = (X(i), Y(bv));
            }
        }
        for (int i = 0; i < scores.Length; i++)
        {
            var (y, c) = scores[i] is { } s ? (Y(s), TrialColor) : (Height - Margin, FailedColor);
            for (int dy = -2; dy <= 2; dy++) for (int dx = -2; dx <= 2; dx++) Set(X(i) + dx, y + dy, c);
        }
        return PngWriter.Encode(rgb, Width, Height);
    }

    private static (double Lo, double Hi) Range(IEnumerable<double?> values, bool accuracy)
    {
        if (accuracy) return (0, 1);
        var all = values.Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).ToArray();
        if (all.Length == 0) return (0, 1);
        double lo = all.Min(), hi = all.Max(), pad = (hi - lo) * 0.05;
        return pad > 0 ? (lo - pad, hi + pad) : (lo - 0.5, hi + 0.5);
    }
}
