using ScottPlot;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Zoo.FineTune.Fitting;

/// <summary>
/// The one look of every plot Zoo writes (<see cref="HistoryPlot"/>, <see cref="Tuning.ScorePlot"/>): a title,
/// labelled axes with tick values, a legend, matplotlib's first colours, y axes that start at zero (accuracies
/// span 0–1), epochs and trials counted from 1, and PNGs written atomically.
/// </summary>
internal static class ChartStyle
{
    /// <summary>Size of one panel in pixels (the legend takes about 130 of the width, right of the axes).</summary>
    public const int PanelWidth = 600, Height = 420;

    /// <summary>Training curves and trial scores (matplotlib's tab:blue).</summary>
    public static readonly ScottPlot.Color Training = ScottPlot.Color.FromHex("#1f77b4");

    /// <summary>Validation curves (tab:orange).</summary>
    public static readonly ScottPlot.Color Validation = ScottPlot.Color.FromHex("#ff7f0e");

    /// <summary>The best-so-far line (tab:green).</summary>
    public static readonly ScottPlot.Color Best = ScottPlot.Color.FromHex("#2ca02c");

    /// <summary>Failed trials (tab:red).</summary>
    public static readonly ScottPlot.Color Failed = ScottPlot.Color.FromHex("#d62728");

    /// <summary>Reference lines such as the baseline (tab:gray).</summary>
    public static readonly ScottPlot.Color Reference = ScottPlot.Color.FromHex("#7f7f7f");

    /// <summary>A panel with its title, axis labels and integer ticks on x (epochs and trials are counted, not measured).</summary>
    public static Plot Panel(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(Fonts.Sans);
        plot.Title(title, size: 16);
        plot.XLabel(xLabel, size: 14);
        plot.YLabel(yLabel, size: 14);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    /// <summary>A line with a marker per point, named in the legend.</summary>
    public static void Curve(Plot plot, IReadOnlyList<double> xs, IReadOnlyList<double> ys, ScottPlot.Color color, string label)
    {
        var line = plot.Add.Scatter(xs.ToArray(), ys.ToArray(), color);
        line.LineWidth = 2;
        line.MarkerSize = 7;
        line.LegendText = label;
    }

    /// <summary>
    /// The y axis from zero to a little above <paramref name="max"/> (or exactly 0–1 for a <paramref name="fraction"/>), so a
    /// narrow band of values is drawn as narrow as it is instead of filling the panel; x from 0.5 to <paramref name="count"/> + 0.5.
    /// </summary>
    public static void Limits(Plot plot, int count, double max, bool fraction)
    {
        double top = fraction ? 1.0 : max > 0 && double.IsFinite(max) ? max * 1.08 : 1.0;
        plot.Axes.SetLimits(0.5, Math.Max(1, count) + 0.5, 0, top);
    }

    /// <summary>Puts the legend beside the data, right of the axes, when anything is named: inside, it would hide points.</summary>
    public static void Legend(Plot plot)
    {
        if (plot.GetPlottables().Any(p => p.LegendItems.Any(i => !string.IsNullOrEmpty(i.LabelText)))) plot.ShowLegend(Edge.Right);
    }

    /// <summary>The panels side by side, each <paramref name="panelWidth"/> wide, as PNG bytes.</summary>
    public static byte[] Png(int panelWidth, params Plot[] panels)
    {
        using var sheet = new Image<Rgba32>(panelWidth * panels.Length, Height);
        for (int i = 0; i < panels.Length; i++)
        {
            using var panel = SixLabors.ImageSharp.Image.Load<Rgba32>(panels[i].GetImageBytes(panelWidth, Height, ImageFormat.Png));
            sheet.Mutate(c => c.DrawImage(panel, new SixLabors.ImageSharp.Point(i * panelWidth, 0), 1f));
        }
        using var bytes = new MemoryStream();
        sheet.Save(bytes, new PngEncoder { ColorType = PngColorType.Rgb });
        return bytes.ToArray();
    }

    /// <summary>Writes <paramref name="png"/> to <paramref name="path"/> through a temporary file renamed into place.</summary>
    public static void Save(string path, byte[] png) => Zoo.Formats.IO.AtomicFile.Write(path, s => s.Write(png));
}
