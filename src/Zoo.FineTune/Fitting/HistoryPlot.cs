namespace Zoo.FineTune.Fitting;

/// <summary>
/// Draws a <see cref="History"/> as a PNG: loss on the left panel, accuracy (0–1) on the right; training in
/// blue (31,119,180), validation in orange (255,127,14), matplotlib's first two colours; one dot per epoch.
/// The image carries no text: the panels and colours are fixed.
/// </summary>
public static class HistoryPlot
{
    /// <summary>Training-curve colour.</summary>
    public static readonly (byte R, byte G, byte B) TrainColor = (31, 119, 180);

    /// <summary>Validation-curve colour.</summary>
    public static readonly (byte R, byte G, byte B) ValidationColor = (255, 127, 14);

    /// <summary>Panel size and margin in pixels.</summary>
    internal const int PanelWidth = 400, Height = 300, Margin = 20;

    /// <summary>Saves the plot to <paramref name="path"/> (see <see cref="Zoo.Formats.IO.AtomicFile"/>).</summary>
    public static void SavePng(History history, string path) => Zoo.Formats.IO.AtomicFile.Write(path, s => s.Write(Render(history)));

    /// <summary>The plot's PNG bytes.</summary>
    public static byte[] Render(History history)
    {
        int width = PanelWidth * 2;
        var rgb = new byte[width * Height * 3];
        Array.Fill(rgb, (byte)255);
        var canvas = new Canvas(rgb, width);
        DrawPanel(canvas, 0, history, "loss", "val_loss", fixedRange: null);
        DrawPanel(canvas, PanelWidth, history, "accuracy", "val_accuracy", fixedRange: (0, 1));
        return PngWriter.Encode(rgb, width, Height);
    }

    /// <summary>Pixel of epoch <paramref name="i"/> of <paramref name="count"/> at <paramref name="value"/> in a panel starting at <paramref name="left"/>.</summary>
    internal static (int X, int Y) Point(int left, int i, int count, double value, (double Lo, double Hi) range)
    {
        int plotW = PanelWidth - 2 * Margin, plotH = Height - 2 * Margin;
        double fx = count <= 1 ? 0.5 : (double)i / (count - 1);
        double fy = range.Hi > range.Lo ? (value - range.Lo) / (range.Hi - range.Lo) : 0.5;
        return (left + Margin + (int)Math.Round(fx * plotW), Height - Margin - (int)Math.Round(fy * plotH));
    }

    /// <summary>The y range of a panel: fixed, or the values' range padded by 5%.</summary>
    internal static (double Lo, double Hi) Range(History h, string a, string b, (double, double)? fixedRange)
    {
        if (fixedRange is { } f) return f;
        var all = new[] { a, b }.Where(h.Values.ContainsKey).SelectMany(k => h.Values[k]).Where(double.IsFinite).ToArray();
        if (all.Length == 0) return (0, 1);
        double lo = all.Min(), hi = all.Max(), pad = (hi - lo) * 0.05;
        return pad > 0 ? (lo - pad, hi + pad) : (lo - 0.5, hi + 0.5);
    }

    private static void DrawPanel(Canvas c, int left, History h, string train, string val, (double, double)? fixedRange)
    {
        var range = Range(h, train, val, fixedRange);
        var grid = ((byte)225, (byte)225, (byte)225);
        for (int k = 0; k <= 4; k++)
        {
            int y = Margin + k * (Height - 2 * Margin) / 4;
            c.Line(left + Margin, y, left + PanelWidth - Margin, y, grid);
        }
        c.Line(left + Margin, Margin, left + Margin, Height - Margin, (0, 0, 0));
        c.Line(left + Margin, Height - Margin, left + PanelWidth - Margin, Height - Margin, (0, 0, 0));
        foreach (var (key, color) in new[] { (val, ValidationColor), (train, TrainColor) })
        {
            if (!h.Values.TryGetValue(key, out var v) || v.Count == 0) continue;
            var pts = v.Select((value, i) => Point(left, i, v.Count, double.IsFinite(value) ? value : range.Hi, range)).ToArray();
            for (int i = 1; i < pts.Length; i++) c.Line(pts[i - 1].X, pts[i - 1].Y, pts[i].X, pts[i].Y, color, thick: true);
            foreach (var p in pts) c.Dot(p.X, p.Y, color);
        }
    }

    private sealed class Canvas(byte[] rgb, int width)
    {
        private readonly int height = rgb.Length / 3 / width;

        public void Set(int x, int y, (byte R, byte G, byte B) c)
        {
            if (x < 0 || y < 0 || x >= width || y >= height) return;
            int at = (y * width + x) * 3;
            (rgb[at], rgb[at + 1], rgb[at + 2]) = c;
        }

        public void Dot(int x, int y, (byte, byte, byte) c)
        {
            for (int dy = -2; dy <= 2; dy++) for (int dx = -2; dx <= 2; dx++) Set(x + dx, y + dy, c);
        }

        public void Line(int x0, int y0, int x1, int y1, (byte, byte, byte) c, bool thick = false)
        {
            int steps = Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0));
            for (int s = 0; s <= steps; s++)
            {
                double t = steps == 0 ? 0 : (double)s / steps;
                int x = (int)Math.Round(x0 + (x1 - x0) * t), y = (int)Math.Round(y0 + (y1 - y0) * t);
                Set(x, y, c);
                if (thick) { Set(x + 1, y, c); Set(x, y + 1, c); }
            }
        }
    }
}
