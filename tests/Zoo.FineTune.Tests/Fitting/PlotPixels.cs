using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Zoo.FineTune.Tests.Fitting;

/// <summary>Where a plot's text goes, and how much ink is there: a plot drawn without titles, labels or ticks has none.</summary>
internal static class PlotPixels
{
    /// <summary>Skips when the machine has no font: the plots then draw lines but no text (scripts/prereq.sh installs fonts-dejavu-core).</summary>
    public static void RequireFonts()
        => Skip.If(SkiaSharp.SKFontManager.Default.FontFamilyCount == 0, "no system font is installed, so no plot text can be drawn (install fonts-dejavu-core)");

    /// <summary>The top 8% of a panel, centred: the title.</summary>
    public static Rectangle TitleBand(Rectangle panel) => new(panel.X + panel.Width / 4, panel.Y, panel.Width / 2, panel.Height * 8 / 100);

    /// <summary>The leftmost 5% of a panel, middle half: the rotated y-axis label.</summary>
    public static Rectangle YLabelBand(Rectangle panel) => new(panel.X, panel.Y + panel.Height / 4, panel.Width * 5 / 100, panel.Height / 2);

    /// <summary>The bottom 6% of a panel, centred: the x-axis label.</summary>
    public static Rectangle XLabelBand(Rectangle panel) => new(panel.X + panel.Width / 3, panel.Y + panel.Height * 94 / 100, panel.Width / 3, panel.Height * 6 / 100);

    /// <summary>Between the y label and the axis line: the y tick values.</summary>
    public static Rectangle YTickBand(Rectangle panel) => new(panel.X + panel.Width * 5 / 100, panel.Y + panel.Height / 8, panel.Width * 5 / 100, panel.Height * 3 / 4);

    /// <summary>Pixels in <paramref name="band"/> that are not the white background.</summary>
    public static int Ink(Image<Rgb24> image, Rectangle band)
    {
        int ink = 0;
        image.ProcessPixelRows(rows =>
        {
            for (int y = band.Top; y < band.Bottom; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = band.Left; x < band.Right; x++)
                    if (row[x].R < 200 || row[x].G < 200 || row[x].B < 200) ink++;
            }
        });
        return ink;
    }
}
