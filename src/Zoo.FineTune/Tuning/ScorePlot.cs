using ScottPlot;
using Zoo.FineTune.Fitting;

namespace Zoo.FineTune.Tuning;

/// <summary>
/// Draws each trial's score as a PNG in <see cref="ChartStyle"/>: a blue marker per trial in trial order (trials
/// counted from 1), failed trials as red markers on the x axis, the best score so far as a green step line and the
/// baseline's score as a grey horizontal line, with a title, labelled axes, tick values and a legend. The y axis
/// starts at zero (0–1 for accuracies).
/// </summary>
public static class ScorePlot
{
    /// <summary>Width and height of the image in pixels.</summary>
    public const int Width = 760, Height = ChartStyle.Height;

    /// <summary>Saves the plot to <paramref name="path"/> (a temporary file, then renamed into place).</summary>
    public static void SavePng(TuningResult result, string path) => ChartStyle.Save(path, Render(result));

    /// <summary>The plot's PNG bytes.</summary>
    public static byte[] Render(TuningResult result) => ChartStyle.Png(Width, Panel(result));

    /// <summary>The plot, before rendering.</summary>
    internal static Plot Panel(TuningResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var objective = result.Objective;
        var plot = ChartStyle.Panel($"Tuning: {objective.Name} per trial ({(objective.Maximize ? "higher" : "lower")} is better)", "trial", objective.Name);
        var scores = result.Trials.Select(r => r.Result.Score).ToArray();
        var done = scores.Select((s, i) => (X: i + 1.0, Y: s)).Where(p => p.Y is { } y && double.IsFinite(y)).Select(p => (p.X, Y: p.Y!.Value)).ToList();
        var failed = scores.Select((s, i) => (X: i + 1.0, S: s)).Where(p => p.S is not { } y || !double.IsFinite(y)).Select(p => p.X).ToList();

        if (result.Baseline?.Result.Score is { } baseline && double.IsFinite(baseline))
        {
            var line = plot.Add.HorizontalLine(baseline, width: 2, color: ChartStyle.Reference, pattern: LinePattern.Dashed);
            line.LegendText = "baseline (defaults)";
        }
        if (done.Count > 0)
        {
            var best = new List<double>();
            foreach (var (_, y) in done) best.Add(best.Count == 0 || objective.Better(y, best[^1]) ? y : best[^1]);
            var steps = plot.Add.Scatter(done.Select(p => p.X).ToArray(), best.ToArray(), ChartStyle.Best);
            steps.ConnectStyle = ConnectStyle.StepHorizontal;
            steps.LineWidth = 2;
            steps.MarkerSize = 0;
            steps.LegendText = "best so far";
            var trials = plot.Add.ScatterPoints(done.Select(p => p.X).ToArray(), done.Select(p => p.Y).ToArray(), ChartStyle.Training);
            trials.MarkerSize = 9;
            trials.LegendText = "trial";
        }
        if (failed.Count > 0)
        {
            var marks = plot.Add.ScatterPoints(failed.ToArray(), new double[failed.Count], ChartStyle.Failed);
            marks.MarkerSize = 9;
            marks.MarkerShape = MarkerShape.Cross;
            marks.LegendText = "failed";
        }
        bool fraction = objective.Name.Contains("acc", StringComparison.Ordinal);
        double max = done.Select(p => p.Y).Append(result.Baseline?.Result.Score ?? 0).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        ChartStyle.Limits(plot, scores.Length, max, fraction);
        ChartStyle.Legend(plot);
        return plot;
    }
}
