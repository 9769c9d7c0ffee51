using ScottPlot;

namespace Zoo.FineTune.Fitting;

/// <summary>
/// Draws a <see cref="History"/> as a PNG in <see cref="ChartStyle"/>: loss on the left panel (y from 0), accuracy on
/// the right (0–1), training in blue and validation in orange, a marker per epoch, epochs counted from 1 as Keras
/// prints them, with titles, axis labels, tick values and a legend.
/// </summary>
public static class HistoryPlot
{
    /// <summary>Width of one panel and height of the image, in pixels (the image is two panels wide).</summary>
    public const int PanelWidth = ChartStyle.PanelWidth, Height = ChartStyle.Height;

    /// <summary>Saves the plot to <paramref name="path"/> (written to a temporary file beside it, then moved into place).</summary>
    public static void SavePng(History history, string path) => ChartStyle.Save(path, Render(history));

    /// <summary>The plot's PNG bytes.</summary>
    public static byte[] Render(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return ChartStyle.Png(PanelWidth, Panels(history));
    }

    /// <summary>The loss and accuracy panels, before rendering.</summary>
    internal static Plot[] Panels(History history)
        => [Panel(history, "loss", "Loss", fraction: false), Panel(history, "accuracy", "Accuracy", fraction: true)];

    private static Plot Panel(History h, string metric, string title, bool fraction)
    {
        var plot = ChartStyle.Panel(title, "epoch", metric);
        double max = 0;
        foreach (var (key, color, label) in new[] { (metric, ChartStyle.Training, "training"), ("val_" + metric, ChartStyle.Validation, "validation") })
        {
            if (!h.Values.TryGetValue(key, out var v)) continue;
            // A diverged epoch (NaN, ∞) has no point; the curve goes on from the next finite one.
            var points = v.Select((y, i) => (X: (double)h.Epochs[i] + 1, Y: y)).Where(p => double.IsFinite(p.Y)).ToList();
            if (points.Count == 0) continue;
            ChartStyle.Curve(plot, points.Select(p => p.X).ToList(), points.Select(p => p.Y).ToList(), color, label);
            max = Math.Max(max, points.Max(p => p.Y));
        }
        ChartStyle.Limits(plot, h.Epochs.Count == 0 ? 1 : h.Epochs.Max() + 1, max, fraction);
        ChartStyle.Legend(plot);
        return plot;
    }
}
