namespace Zoo.FineTune.Tests.Fuzzing.Image;

/// <summary>
/// A minimal progressive JPEG (SOF2), built by hand because ImageSharp 2 only encodes baseline: each 8×8 block
/// keeps its mean (DC) and drops its detail (AC). Scans: DC first pass with a point transform of 1, DC
/// refinement pass, then one AC pass per component made of end-of-band codes, which is enough to reach the
/// decoder's progressive paths (successive approximation, non-interleaved scans).
/// </summary>
public static class ProgressiveJpeg
{
    /// <summary>
    /// A <paramref name="w"/>×<paramref name="h"/> image with 1 (grey) or 3 (YCbCr) components, followed by
    /// <paramref name="emptyScans"/> more AC scans of end-of-band codes (each a pass over the image that changes nothing).
    /// </summary>
    public static byte[] Build(int w, int h, int components, Func<int, int, (byte R, byte G, byte B)> pixel, int emptyScans = 0)
    {
        int bw = (w + 7) / 8, bh = (h + 7) / 8;
        var dc = new int[components, bw * bh];
        for (int by = 0; by < bh; by++)
            for (int bx = 0; bx < bw; bx++)
                for (int c = 0; c < components; c++)
                    dc[c, by * bw + bx] = BlockDc(w, h, bx, by, c, components, pixel);

        using var s = new MemoryStream();
        s.Write([0xFF, 0xD8]);
        Segment(s, 0xE0, [.. "JFIF\0"u8, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        Segment(s, 0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);
        var sof = new List<byte> { 8, (byte)(h >> 8), (byte)h, (byte)(w >> 8), (byte)w, (byte)components };
        for (int c = 0; c < components; c++) sof.AddRange([(byte)(c + 1), 0x11, 0]);
        Segment(s, 0xC2, [.. sof]);
        // DC: categories 0..11 all get 4-bit codes; AC: only end-of-band, a 1-bit code.
        Segment(s, 0xC4, [0x00, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                          0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00]);

        Scan(s, Enumerable.Range(1, components), 0, 0, 0, 1, bits =>
        {
            var pred = new int[components];
            for (int b = 0; b < bw * bh; b++)
                for (int c = 0; c < components; c++)
                {
                    int v = dc[c, b] >> 1, diff = v - pred[c];
                    pred[c] = v;
                    int cat = diff == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(diff));
                    bits.Write(cat, 4);
                    if (cat > 0) bits.Write(diff >= 0 ? diff : diff + (1 << cat) - 1, cat);
                }
        });
        Scan(s, Enumerable.Range(1, components), 0, 0, 1, 0, bits =>
        {
            for (int b = 0; b < bw * bh; b++)
                for (int c = 0; c < components; c++) bits.Write(dc[c, b] & 1, 1);
        });
        for (int n = 0; n < components + emptyScans; n++)
            Scan(s, [n % components + 1], 1, 63, 0, 0, bits =>
            {
                for (int b = 0; b < bw * bh; b++) bits.Write(0, 1);
            });
        s.Write([0xFF, 0xD9]);
        return s.ToArray();
    }

    private static int BlockDc(int w, int h, int bx, int by, int c, int components, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        double sum = 0;
        for (int y = by * 8; y < by * 8 + 8; y++)
            for (int x = bx * 8; x < bx * 8 + 8; x++)
            {
                var (r, g, b) = pixel(Math.Min(x, w - 1), Math.Min(y, h - 1)); // edge blocks repeat the last row and column
                sum += components == 1 || c == 0 ? 0.299 * r + 0.587 * g + 0.114 * b
                    : c == 1 ? -0.1687 * r - 0.3313 * g + 0.5 * b + 128
                    : 0.5 * r - 0.4187 * g - 0.0813 * b + 128;
            }
        return (int)Math.Round(8 * (sum / 64 - 128));
    }

    private static void Segment(Stream s, byte marker, byte[] body)
    {
        s.Write([0xFF, marker, (byte)((body.Length + 2) >> 8), (byte)(body.Length + 2)]);
        s.Write(body);
    }

    private static void Scan(Stream s, IEnumerable<int> ids, int ss, int se, int ah, int al, Action<BitWriter> data)
    {
        var list = ids.ToList();
        var body = new List<byte> { (byte)list.Count };
        foreach (var id in list) body.AddRange([(byte)id, 0x00]);
        body.AddRange([(byte)ss, (byte)se, (byte)(ah << 4 | al)]);
        Segment(s, 0xDA, [.. body]);
        var bits = new BitWriter(s);
        data(bits);
        bits.Flush();
    }

    /// <summary>Entropy-coded bits, most significant first, with 0xFF stuffed and the last byte padded with ones.</summary>
    private sealed class BitWriter(Stream s)
    {
        private int acc, count;

        public void Write(int value, int n)
        {
            for (int i = n - 1; i >= 0; i--)
            {
                acc = acc << 1 | (value >> i & 1);
                if (++count == 8) Emit();
            }
        }

        public void Flush()
        {
            while (count != 0) Write(1, 1);
        }

        private void Emit()
        {
            s.WriteByte((byte)acc);
            if (acc == 0xFF) s.WriteByte(0);
            acc = count = 0;
        }
    }
}
