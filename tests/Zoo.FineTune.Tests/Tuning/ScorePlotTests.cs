using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Zoo.FineTune.Tests.Fitting;
using Zoo.FineTune.Tuning;

namespace Zoo.FineTune.Tests.Tuning;

/// <summary>scores.png reads on its own: a title naming the objective, labelled axes with ticks, a legend, zero-based scores.</summary>
public class ScorePlotTests
{
    private static TrialRecord Record(int i, double? score)
        => new(new Trial(i.ToString(), i, new SortedDictionary<string, string> { ["lr"] = "0.001" }, 0, 2),
            new TrialResult(score is null ? TrialStatus.Failed : TrialStatus.Completed, score, score is null ? null : 1, 2, 1.0, new Dictionary<string, double[]>(), score is null ? "diverged" : null),
            Replayed: false);

    private static TuningResult Result(string objective)
        => new([Record(0, 0.70), Record(1, 0.64), Record(2, null), Record(3, 0.66)], Record(9, 0.75), null, StopReason.Finished, Objective.Parse(objective));

    [SkippableFact]
    public void The_png_decodes_at_its_size_with_ink_where_the_title_axis_labels_and_ticks_go()
    {
        PlotPixels.RequireFonts();
        using var image = Image.Load<Rgb24>(ScorePlot.Render(Result("val_loss")));
        Assert.Equal((ScorePlot.Width, ScorePlot.Height), (image.Width, image.Height));
        var panel = new Rectangle(0, 0, ScorePlot.Width, ScorePlot.Height);
        Assert.True(PlotPixels.Ink(image, PlotPixels.TitleBand(panel)) > 20, "no title");
        Assert.True(PlotPixels.Ink(image, PlotPixels.YLabelBand(panel)) > 20, "no y-axis label");
        Assert.True(PlotPixels.Ink(image, PlotPixels.XLabelBand(panel)) > 20, "no x-axis label");
        Assert.True(PlotPixels.Ink(image, PlotPixels.YTickBand(panel)) > 40, "no y tick values");
    }

    [Fact]
    public void The_legend_names_trials_the_best_so_far_the_baseline_and_failures_and_the_y_axis_starts_at_zero()
    {
        var plot = ScorePlot.Panel(Result("val_loss"));
        var labels = plot.GetPlottables().SelectMany(p => p.LegendItems).Select(i => i.LabelText).ToHashSet();
        Assert.Superset(new HashSet<string> { "trial", "best so far", "baseline (defaults)", "failed" }, labels);
        Assert.Equal(0, plot.Axes.GetLimits().Bottom);
        Assert.Equal("trial", plot.Axes.Bottom.Label.Text);
        Assert.Equal("val_loss", plot.Axes.Left.Label.Text);
        Assert.Contains("lower is better", plot.Axes.Title.Label.Text);
    }

    [Fact]
    public void An_accuracy_objective_spans_zero_to_one()
    {
        var limits = ScorePlot.Panel(Result("val_accuracy")).Axes.GetLimits();
        Assert.Equal((0.0, 1.0), (limits.Bottom, limits.Top));
    }
}
