using System.Buffers.Binary;
using System.IO.Compression;
using Zoo.FineTune.Fitting;

namespace Zoo.FineTune.Tests.Fitting;

/// <summary>The history plot is a well-formed PNG with the curves where the values put them.</summary>
public class HistoryPlotTests
{
    [Fact]
    public void The_plot_is_a_valid_png_with_each_epochs_dot_in_its_curves_colour()
    {
        var h = new History();
        double[] loss = { 1.0, 0.6, 0.4 }, val = { 1.1, 0.8, 0.7 }, acc = { 0.5, 0.7, 0.9 };
        for (int e = 0; e < 3; e++)
            h.Add(e, new Dictionary<string, double> { ["loss"] = loss[e], ["val_loss"] = val[e], ["accuracy"] = acc[e] });
        var png = HistoryPlot.Render(h);

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        int at = 8, width = 0, height = 0;
        var idat = new MemoryStream();
        while (at < png.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = png[(at + 4)..(at + 8)];
            var data = png[(at + 8)..(at + 8 + len)];
            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + len)), PngCrc(type, data));
            var name = System.Text.Encoding.ASCII.GetString(type);
            if (name == "IHDR") { width = BinaryPrimitives.ReadInt32BigEndian(data); height = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4)); }
            if (name == "IDAT") idat.Write(data);
            at += 12 + len;
        }
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        var pixels = raw.ToArray();
        Assert.Equal(height * (1 + 3 * width), pixels.Length);

        (byte, byte, byte) Pixel((int X, int Y) p) { int o = p.Y * (1 + 3 * width) + 1 + p.X * 3; return (pixels[o], pixels[o + 1], pixels[o + 2]); }
        var lossRange = HistoryPlot.Range(h, "loss", "val_loss", null);
        for (int e = 0; e < 3; e++)
        {
            Assert.Equal(HistoryPlot.TrainColor, Pixel(HistoryPlot.Point(0, e, 3, loss[e], lossRange)));
            Assert.Equal(HistoryPlot.TrainColor, Pixel(HistoryPlot.Point(HistoryPlot.PanelWidth, e, 3, acc[e], (0, 1))));
        }
        Assert.Equal(HistoryPlot.ValidationColor, Pixel(HistoryPlot.Point(0, 2, 3, val[2], lossRange)));
    }

    private static uint PngCrc(byte[] type, byte[] data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (var b in type.Concat(data))
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        return c ^ 0xFFFFFFFFu;
    }
}
