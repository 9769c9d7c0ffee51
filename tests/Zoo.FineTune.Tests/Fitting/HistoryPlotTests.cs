using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Zoo.FineTune.Fitting;

namespace Zoo.FineTune.Tests.Fitting;

/// <summary>The history plot is a PNG a person can read: titles, axis labels and tick values drawn, y axes from zero.</summary>
public class HistoryPlotTests
{
    private static History ThreeEpochs()
    {
        var h = new History();
        double[] loss = { 0.77, 0.70, 0.63 }, val = { 0.76, 0.72, 0.69 }, acc = { 0.5, 0.7, 0.9 }, valAcc = { 0.45, 0.6, 0.8 };
        for (int e = 0; e < 3; e++)
            h.Add(e, new Dictionary<string, double> { ["loss"] = loss[e], ["val_loss"] = val[e], ["accuracy"] = acc[e], ["val_accuracy"] = valAcc[e] });
        return h;
    }

    [SkippableFact]
    public void The_png_decodes_at_two_panels_wide_with_ink_where_the_titles_axis_labels_and_ticks_go()
    {
        PlotPixels.RequireFonts();
        using var image = Image.Load<Rgb24>(HistoryPlot.Render(ThreeEpochs()));
        Assert.Equal(2 * HistoryPlot.PanelWidth, image.Width);
        Assert.Equal(HistoryPlot.Height, image.Height);
        foreach (int left in new[] { 0, HistoryPlot.PanelWidth })
        {
            var panel = new Rectangle(left, 0, HistoryPlot.PanelWidth, HistoryPlot.Height);
            Assert.True(PlotPixels.Ink(image, PlotPixels.TitleBand(panel)) > 20, $"no title above the panel at x={left}");
            Assert.True(PlotPixels.Ink(image, PlotPixels.YLabelBand(panel)) > 20, $"no y-axis label left of the panel at x={left}");
            Assert.True(PlotPixels.Ink(image, PlotPixels.XLabelBand(panel)) > 20, $"no x-axis label under the panel at x={left}");
            Assert.True(PlotPixels.Ink(image, PlotPixels.YTickBand(panel)) > 40, $"no y tick values beside the panel at x={left}");
        }
    }

    [Fact]
    public void The_y_axes_start_at_zero_so_a_narrow_loss_band_is_not_drawn_as_a_collapse()
    {
        var panels = HistoryPlot.Panels(ThreeEpochs());
        var loss = panels[0].Axes.GetLimits();
        var accuracy = panels[1].Axes.GetLimits();
        Assert.Equal(0, loss.Bottom);
        Assert.True(loss.Top >= 0.77, $"the loss axis ends at {loss.Top}, below the largest loss");
        Assert.Equal((0.0, 1.0), (accuracy.Bottom, accuracy.Top));
    }

    [Fact]
    public void Each_panel_names_its_curves_in_a_legend_and_counts_epochs_from_one()
    {
        var panels = HistoryPlot.Panels(ThreeEpochs());
        foreach (var p in panels)
        {
            var labels = p.GetPlottables().SelectMany(x => x.LegendItems).Select(i => i.LabelText).ToList();
            Assert.Equal(new[] { "training", "validation" }, labels);
            Assert.Contains(p.Axes.GetPanels(), panel => panel is ScottPlot.Panels.LegendPanel);
            Assert.Equal("epoch", p.Axes.Bottom.Label.Text);
            var xs = p.GetPlottables<ScottPlot.Plottables.Scatter>().First().Data.GetScatterPoints().Select(c => c.X);
            Assert.Equal(new[] { 1.0, 2.0, 3.0 }, xs);
        }
        Assert.Equal("loss", panels[0].Axes.Left.Label.Text);
        Assert.Equal("accuracy", panels[1].Axes.Left.Label.Text);
    }

    [Fact]
    public void A_diverged_epoch_leaves_a_gap_instead_of_breaking_the_plot()
    {
        var h = new History();
        h.Add(0, new Dictionary<string, double> { ["loss"] = 1.0, ["accuracy"] = 0.5 });
        h.Add(1, new Dictionary<string, double> { ["loss"] = double.NaN, ["accuracy"] = 0.5 });
        h.Add(2, new Dictionary<string, double> { ["loss"] = 0.5, ["accuracy"] = 0.6 });
        using var image = Image.Load<Rgb24>(HistoryPlot.Render(h));
        Assert.Equal(HistoryPlot.Height, image.Height);
        var xs = HistoryPlot.Panels(h)[0].GetPlottables<ScottPlot.Plottables.Scatter>().Single().Data.GetScatterPoints().Select(c => c.X);
        Assert.Equal(new[] { 1.0, 3.0 }, xs);
    }
}
